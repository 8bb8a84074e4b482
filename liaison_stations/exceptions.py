"""Domain errors of the stations and the citizens' loop, with messages a user can act on."""

from django.core.exceptions import PermissionDenied


class WorkflowError(Exception):
    """A move the loop does not allow now (the API answers 409 with the message)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotAllowed(PermissionDenied):
    """The actor's role does not allow this move (403)."""
