"""Errors the API reports as such, in JSON, instead of a 500 or an HTML page: deleting a record
others depend on, a write that loses a race against a database constraint, and a request body
larger than DATA_UPLOAD_MAX_MEMORY_SIZE or with more than DATA_UPLOAD_MAX_NUMBER_FIELDS fields."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.db import DataError, IntegrityError
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
    if isinstance(exc, DataError):  # a value the database cannot hold that no field check caught
        return Response(
            {"detail": "The database cannot store a value of this request; nothing was changed."},
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, IntegrityError):
        return Response(
            {"detail": "The write conflicts with stored data (a concurrent write?); nothing was changed."},
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return Response(
            {"detail": f"The request body is larger than {limit:,} bytes; send less at a time."},
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    if isinstance(exc, TooManyFieldsSent | TooManyFilesSent):
        limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        return Response(
            {"detail": f"The request has more than {limit:,} fields; no record has that many."},
            status=status.HTTP_400_BAD_REQUEST,
        )
    return drf_exception_handler(exc, context)
