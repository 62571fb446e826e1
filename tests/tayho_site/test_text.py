import pytest

from tayho_site.text import fold, word_count


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Khát vọng Tây Hồ", "khat vong tay ho"),
        ("đùn đẩy", "dun day"),
        ("ĐẢNG VIÊN 4 TỐT", "dang vien 4 tot"),
        ("Kỷ luật, kỷ cương", "ky luat, ky cuong"),
        ("  nhiều   khoảng\ttrắng \n", "nhieu khoang trang"),
        ("", ""),
    ],
)
def test_fold_removes_vietnamese_marks_and_folds_d(text, folded):
    assert fold(text) == folded


def test_fold_treats_composed_and_decomposed_input_alike():
    import unicodedata

    text = "Hồ Tây"
    assert fold(unicodedata.normalize("NFD", text)) == fold(unicodedata.normalize("NFC", text)) == "ho tay"


def test_word_count_counts_syllables_separated_by_spaces():
    assert word_count("Khát vọng Tây Hồ") == 4
    assert word_count("Một, hai — ba!  bốn") == 4
    assert word_count("") == 0
