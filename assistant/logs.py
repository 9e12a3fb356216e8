"""Logs that never carry personal data: every record (message, arguments, traceback) is masked
as it is formatted, for the CLI and the app's server log alike.

A traceback can quote the cell or question that caused it (openpyxl's IllegalCharacterError
does); masking the formatted text is the one place that catches all of them."""
from __future__ import annotations

import logging

from assistant.core.privacy import mask_personal_data


class MaskingFormatter(logging.Formatter):
    def __init__(self, inner: logging.Formatter | None = None):
        super().__init__()
        self._inner = inner or logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        return mask_personal_data(self._inner.format(record))


def install_masking(*logger_names: str) -> None:
    """Wrap the formatter of every handler of these loggers (root when none is named), and give
    the root logger a masked stderr handler if it has none. Idempotent."""
    names = logger_names or ("",)
    for name in names:
        logger = logging.getLogger(name)
        if not name and not logger.handlers:
            handler = logging.StreamHandler()
            handler.setLevel(logging.WARNING)  # as Python's last-resort handler: libraries' debug chatter stays out
            logger.addHandler(handler)
        for handler in logger.handlers:
            if not isinstance(handler.formatter, MaskingFormatter):
                handler.setFormatter(MaskingFormatter(handler.formatter))


def install_app_masking() -> None:
    """Streamlit gives its loggers their own handlers; the uncaught-exception log is one of them."""
    names = [""] + [n for n in logging.Logger.manager.loggerDict if n.startswith(("streamlit", "assistant"))]
    install_masking(*names)
