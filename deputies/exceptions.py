"""Domain errors of committee-driven deputy work, with messages a user can act on."""

from django.core.exceptions import PermissionDenied


class WorkflowError(Exception):
    """A move that is not possible now, e.g. signing in twice (the API answers 409 with the message)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotAllowed(PermissionDenied):
    """The actor's role does not allow this move (403)."""
