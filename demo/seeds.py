"""Figures stated in the seed reports, reproduced exactly by the demo data."""

from __future__ import annotations

from demo._common import rng_for
from demo.dossiers import DossierRow
from demo.figures import DossierFigures, allocate
from demo.units import District

# Seed 002, Nha Trang 2018.  City level (UBND thành phố):
NHA_TRANG = "568"
NHA_TRANG_HUYEN_2018 = DossierFigures(
    carried_in=1_012,
    received=58_053,
    received_online=1_742,
    received_postal=603,
    resolved_early=41_387,
    resolved_on_time=14_865,  # early + on time = 56.252
    resolved_late=611,  # resolved = 56.863
    pending_not_due=1_985,
    pending_overdue=217,  # 1.012 + 58.053 = 56.863 + 2.202
)
# Commune level, all of the city's communes together:
NHA_TRANG_XA_2018_TOTALS = {
    "received": 75_416,
    "resolved": 75_384,
    "in_time": 75_226,
    "late": 158,
    "carried_in": 61,
    "pending": 93,  # 61 + 75.416 = 75.384 + 93
}


def nha_trang_2018_rows(seed: int, district: District) -> list[DossierRow]:
    """The city row and one row per commune whose sums are the seed's commune-level figures."""
    assert district.code == NHA_TRANG
    rng = rng_for(seed, "nha-trang-2018")
    t = NHA_TRANG_XA_2018_TOTALS
    n = len(district.communes)
    weights = [rng.uniform(0.5, 1.6) for _ in range(n)]
    received = allocate(t["received"], weights)
    late = allocate(t["late"], [rng.uniform(0.1, 2.0) for _ in range(n)])
    carried = allocate(t["carried_in"], [rng.uniform(0.1, 2.0) for _ in range(n)])
    pending = allocate(t["pending"], [rng.uniform(0.1, 2.0) for _ in range(n)])
    rows = [DossierRow(None, district.name, "huyen", NHA_TRANG_HUYEN_2018)]
    for i, c in enumerate(district.communes):
        resolved = carried[i] + received[i] - pending[i]
        in_time = resolved - late[i]
        early = round(in_time * rng.uniform(0.6, 0.85))
        online = round(received[i] * rng.uniform(0.0, 0.02))
        postal = round(received[i] * rng.uniform(0.0, 0.01))
        overdue = round(pending[i] * rng.uniform(0.0, 0.3))
        fig = DossierFigures(
            carried[i],
            received[i],
            online,
            postal,
            early,
            in_time - early,
            late[i],
            pending[i] - overdue,
            overdue,
        )
        rows.append(DossierRow(None, c.name, "xa", fig))
    return rows
