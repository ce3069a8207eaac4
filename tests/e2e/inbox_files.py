"""A small inbox written by hand: Đồng Tháp 2023, three districts (legacy codes 866-868).

Expected values are worked out in the comments, from these numbers only.
"""

from __future__ import annotations

from pathlib import Path

DOSSIERS_CSV = """\
Mã đơn vị;Đơn vị;Kỳ báo cáo;Cấp;Kỳ trước chuyển qua;Tiếp nhận mới;Đã giải quyết;Trước hạn;Đúng hạn;Trễ hạn;Đang giải quyết chưa đến hạn;Đang giải quyết quá hạn
866;Thành phố Cao Lãnh;Năm 2023;huyện;100;10.000;9.800;5.000;4.700;100;250;50
867;Thành phố Sa Đéc;Năm 2023;huyện;0;8.000;8.000;0;7.976;24;0;0
868;Thành phố Hồng Ngự;Năm 2023;huyện;0;5.000;4.000;1.000;2.600;400;900;100
"""
# on-time rate (early included, of resolved):
#   866: (5000 + 4700) / 9800 = 98.97959 %   resolution 9800/10000 = 98 %   late 100/9800
#   867: 7976 / 8000 = 99.7 %                 (seed 003: 2.99 of 3.0 points)
#   868: (1000 + 2600) / 4000 = 90 %          resolution 4000/5000 = 80 %

BUDGET_CSV = """\
Mã đơn vị;Đơn vị;Năm ngân sách;Tính đến ngày;Kế hoạch vốn giao (triệu đồng);Đã giải ngân (triệu đồng)
866;Thành phố Cao Lãnh;2023;31/12/2023;100.000,000;50.000,000
867;Thành phố Sa Đéc;2023;15/08/2023;590.161,540;212.901,285
868;Thành phố Hồng Ngự;2023;31/12/2023;1.000,000;900,000
"""
# disbursement: 866 50 %, 867 212901.285 / 590161.540 = 36.0751 %, 868 90 %

SURVEYS_CSV = """\
Mã đơn vị;Đơn vị;Kỳ báo cáo;Cấp;Số phiếu;Số phiếu hài lòng
866;Thành phố Cao Lãnh;Năm 2023;huyện;600;548
867;Thành phố Sa Đéc;Năm 2023;huyện;100;95
868;Thành phố Hồng Ngự;Năm 2023;huyện;200;150
"""
# satisfaction: 866 548/600 = 91.333 %, 867 95 %, 868 75 %

# par_basic, district criteria with data (3.3.2, commune on-time, has none → missing):
#   3.3.1 on time ×3.0, 3.4 satisfaction ×2.0, 6.1 disbursement ×1.0; max applicable 6.0
#   866: 2.97 (2.9694) + 1.83 (1.8267) + 0.50 = 5.30 → 88.333 %  rank 1  Khá
#   867: 2.99 (2.991)  + 1.90          + 0.36 (0.3608) = 5.25 → 87.5 %  rank 2  Khá
#   868: 2.70          + 1.50          + 0.90 = 5.10 → 85.0 %  rank 3  Khá

BAD_BUDGET_CSV = """\
Mã đơn vị;Đơn vị;Năm ngân sách;Tính đến ngày;Kế hoạch vốn giao (triệu đồng);Đã giải ngân (triệu đồng)
868;Thành phố Hồng Ngự;2023;31/12/2023;1.000,000;2.000,000
"""
# 200 % of plan: above the 150 % error threshold → the gate holds publication back


def write_small_inbox(inbox: Path) -> None:
    inbox.mkdir(parents=True, exist_ok=True)
    (inbox / "tthc_dong_thap_nam_2023.csv").write_text("\ufeff" + DOSSIERS_CSV, encoding="utf-8")
    (inbox / "giai_ngan_dong_thap_2023.csv").write_text(BUDGET_CSV, encoding="utf-8")
    (inbox / "khao_sat_dong_thap_2023.csv").write_text(SURVEYS_CSV, encoding="utf-8")


def write_bad_budget(inbox: Path) -> None:
    (inbox / "giai_ngan_hong_ngu_2023_sua.csv").write_text(BAD_BUDGET_CSV, encoding="utf-8")
