"""Errors the API reports as such instead of a 500: deleting a record others depend on, and a
write that loses a race against a database constraint."""

from django.db import IntegrityError
from django.db.models import ProtectedError, RestrictedError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    if isinstance(exc, ProtectedError | RestrictedError):
        blocking = sorted({str(obj) for obj in exc.args[1]})
        return Response(
            {
                "detail": "Other records depend on this one; delete or re-point them first.",
                "dependent": blocking[:20],
                "dependent_count": len(blocking),
            },
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, IntegrityError):
        return Response(
            {"detail": "The write conflicts with stored data (a concurrent write?); nothing was changed."},
            status=status.HTTP_409_CONFLICT,
        )
    return drf_exception_handler(exc, context)
