"""Kept for existing callers: the patches live in screens.textual_compat."""

from screens.textual_compat import TextualChanged, apply_textual_patches

__all__ = ["TextualChanged", "apply_textual_patches"]
