"""Numbers as Vietnamese reports write them, and the rates the reports publish.

'.' groups thousands, ',' marks decimals: 58053 → "58.053", 97.95 → "97,95", money in
million VND with three decimals 590161.54 → "590.161,540". Rates are computed from exact
counts and rounded half up to two decimals, once (:func:`rate`)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

TWO_PLACES = Decimal("0.01")


def vn_int(value: int) -> str:
    """58053 → '58.053'."""
    sign = "-" if value < 0 else ""
    return sign + f"{abs(int(value)):,}".replace(",", ".")


def vn_decimal(value: Decimal | int, places: int = 2) -> str:
    """Decimal('97.95') → '97,95'; Decimal('590161.54'), 3 → '590.161,540' (rounded half up)."""
    q = Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    sign = "-" if q < 0 else ""
    whole, _, frac = f"{abs(q):f}".partition(".")
    text = sign + vn_int(int(whole))
    return f"{text},{frac}" if places else text


def vn_money(value: Decimal) -> str:
    """Million VND with three decimals, as the seeds write it: '590.161,540'."""
    return vn_decimal(value, 3)


def rate(numerator: int | Decimal, denominator: int | Decimal) -> Decimal | None:
    """numerator / denominator in percent, rounded half up to two decimals; None for 0 / 0."""
    if not denominator:
        return None
    value = Decimal(numerator) * 100 / Decimal(denominator)
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def vn_rate(value: Decimal) -> str:
    """Decimal('97.95') → '97,95%'."""
    return f"{vn_decimal(value, 2)}%"
