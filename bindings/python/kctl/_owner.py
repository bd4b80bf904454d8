"""What a Kernel and a Tracer share: Python callbacks whose exceptions never cross into
C but are kept, re-raised by check() and by leaving a ``with`` block, and a close() that
the finalizer calls too."""

__all__ = ["CallbackOwner"]


class CallbackOwner:
    """A mixin: the subclass sets ``callback_errors = []`` and defines ``close()``."""

    def check(self):
        """Re-raises the first exception a callback raised (and forgets them all)."""
        if self.callback_errors:
            first = self.callback_errors[0]
            self.callback_errors.clear()
            raise first

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        self.close()
        if exc_type is None:
            self.check()

    def __del__(self):
        try:
            self.close()
        except Exception:  # nothing sensible to do in a finalizer
            pass
