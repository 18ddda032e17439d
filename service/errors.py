"""One error tree for the whole service; each class carries the HTTP status it maps to.

    PledgegraphError (500)
    ├── InputError (400)            malformed or hostile input: files, parameters, queries
    │   ├── UnsafeInput (400)       refused before parsing (entities, remote contexts, SERVICE, LOAD)
    │   └── ValidationFailed (400)  a file not read, or SHACL violations; carries the report
    ├── NotFound (404)
    ├── NotAcceptable (406)         carries the media types on offer
    ├── PayloadTooLarge (413)
    ├── TooManyRequests (429)       a client (or all together) created too much too fast; retry later
    ├── TooBusy (503)               concurrency cap reached; retry later
    ├── QueryTimeout (503)          wall-clock limit reached; the work was stopped
    └── StoreUnavailable (503)      the store cannot be reached or refused us

The CLI maps these to exit codes (ValidationFailed: 1 for SHACL violations only, else 2; 2 for the
others); the web layer has one handler that turns any of them into the same plain-text or JSON body.
"""


class PledgegraphError(Exception):
    """Base of every error the service raises on purpose."""

    status = 500
    retry_after = None

    def __init__(self, message, **details):
        super().__init__(message)
        self.message = message
        self.details = details


class InputError(PledgegraphError):
    status = 400


class UnsafeInput(InputError):
    pass


class ValidationFailed(InputError):
    def __init__(self, message, report=None):
        super().__init__(message)
        self.report = report


class NotFound(PledgegraphError):
    status = 404


class NotAcceptable(PledgegraphError):
    status = 406

    def __init__(self, message, offered=()):
        super().__init__(message)
        self.offered = list(offered)


class PayloadTooLarge(PledgegraphError):
    status = 413


class TooManyRequests(PledgegraphError):
    status = 429

    def __init__(self, message, retry_after=60):
        super().__init__(message)
        self.retry_after = retry_after


class TooBusy(PledgegraphError):
    status = 503
    retry_after = 2


class QueryTimeout(PledgegraphError):
    status = 503
    retry_after = 5


class StoreUnavailable(PledgegraphError):
    status = 503
    retry_after = 5
