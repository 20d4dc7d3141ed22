"""The HTTP service: FastAPI app factory in ``assistant.api.app``."""
