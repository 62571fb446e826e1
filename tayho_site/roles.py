"""The groups the platform's roles map to (names as the district uses them). Created by
a data migration; their members are managed in the admin."""

ORGANISERS = "Ban tổ chức"
JUDGES = "Ban giám khảo"
EDITORS = "Editors"  # Wagtail's own group (page editing); not created here
UNIT_OFFICERS = "Cán bộ đơn vị"
SUPERVISORS = "Giám sát (Mặt trận, đoàn thể)"
EMULATION_COUNCIL = "Hội đồng Thi đua - Khen thưởng"

ALL = [ORGANISERS, JUDGES, UNIT_OFFICERS, SUPERVISORS, EMULATION_COUNCIL]
