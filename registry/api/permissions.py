"""Who may do what in the API (a module of its own: the settings name its default class, and
must not import the views)."""

from rest_framework import permissions


class ReadOrModelPermissions(permissions.DjangoModelPermissionsOrAnonReadOnly):
    """Anyone reads (DjangoModelPermissionsOrAnonReadOnly needs no permission for GET, HEAD,
    OPTIONS either), without building the view's queryset to find its model (a tenth of a cached
    read's time); writes need the model's add/change/delete permission, as there."""

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        return super().has_permission(request, view)
