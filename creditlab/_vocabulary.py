"""Closed vocabularies that know their words: ``StrEnum`` codes + the label catalogue.

A :class:`Vocabulary` member *is* its stable code (``"email" == Channel.EMAIL``), so tables and
files keep plain strings and validation compares codes; ``member.label(lang)`` gives its words
from the catalogue (:mod:`creditlab.labels`) under the key ``<vocabulary>.<code>``.
"""

from __future__ import annotations

from enum import StrEnum
from types import MappingProxyType

from creditlab.labels import text

__all__ = ["Vocabulary", "label_table"]


class Vocabulary(StrEnum):
    """A closed vocabulary whose members know their words (label catalogue)."""

    @classmethod
    def key_prefix(cls) -> str:
        """Catalogue prefix of the vocabulary: ``channel`` for :class:`Channel`."""
        return "".join("_" + c.lower() if c.isupper() else c for c in cls.__name__).lstrip("_")

    @property
    def key(self) -> str:
        """Catalogue key of the member: ``channel.email``."""
        return f"{self.key_prefix()}.{self.value}"

    def label(self, lang: str = "fr") -> str:
        """The member's words in ``lang`` (``"fr"`` or ``"en"``)."""
        return text(self.key, lang)


def label_table(*vocabularies: type[Vocabulary],
                extra: dict[str, str] | None = None) -> MappingProxyType:
    """Read-only ``{code: {"fr": words, "en": words}}`` of the vocabularies (later ones win on
    a shared code) and of ``extra`` (``{code: catalogue key}``), for the label dictionaries kept
    for compatibility."""
    out: dict[str, MappingProxyType] = {}
    for vocab in vocabularies:
        for m in vocab:
            out[m.value] = MappingProxyType({"fr": m.label("fr"), "en": m.label("en")})
    for code, key in (extra or {}).items():
        out[code] = MappingProxyType({"fr": text(key, "fr"), "en": text(key, "en")})
    return MappingProxyType(out)
