"""The three bands of the 70/20/10 model: a fixed enumeration in code, not a table.

Pure Python (no Django import) so that the scoring and rebalancing maths can use it.
"""

from enum import StrEnum


class Band(StrEnum):
    """Where people learn: through work, through others, through courses."""

    EXPERIENTIAL = "experiential"
    SOCIAL = "social"
    FORMAL = "formal"

    @property
    def label(self) -> str:
        return BAND_LABELS[self]

    @property
    def word(self) -> str:
        """The model's plain word for the band's share: Most, Much, Some."""
        return BAND_WORDS[self]


BAND_LABELS = {
    Band.EXPERIENTIAL: "Experiential (learning through work)",
    Band.SOCIAL: "Social (learning through others)",
    Band.FORMAL: "Formal (learning through courses)",
}
BAND_SHORT_LABELS = {
    Band.EXPERIENTIAL: "Experiential",
    Band.SOCIAL: "Social",
    Band.FORMAL: "Formal",
}
BAND_WORDS = {Band.EXPERIENTIAL: "Most", Band.SOCIAL: "Much", Band.FORMAL: "Some"}

BANDS: tuple[Band, ...] = (Band.EXPERIENTIAL, Band.SOCIAL, Band.FORMAL)
BAND_CHOICES = [(band.value, BAND_SHORT_LABELS[band]) for band in BANDS]
