import pytest

from tayho_site.text import fold, query_words, typed_query, word_count


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


def test_simhash_finds_near_identical_texts_and_separates_different_ones():
    from tayho_site.text import hamming, simhash

    base = (
        "Hồ Tây cần một lối đi bộ liền mạch quanh hồ, có ghế nghỉ, cây xanh và nhà vệ sinh công cộng "
        "sạch sẽ cho người dân và du khách; các phường cùng quản lý, không đùn đẩy trách nhiệm."
    )
    retyped = base.replace("Hồ Tây", "Ho Tay").replace("cây xanh", "cây  xanh").replace("sạch sẽ", "sạch")
    other = (
        "Chuyển đổi số thủ tục hành chính giúp người dân nộp hồ sơ trực tuyến, theo dõi tiến độ và "
        "nhận kết quả tại nhà, giảm thời gian chờ đợi ở bộ phận một cửa của phường."
    )
    assert hamming(simhash(base), simhash(base)) == 0
    assert hamming(simhash(base), simhash(retyped)) <= 12
    assert hamming(simhash(base), simhash(other)) > 20
    assert -(1 << 63) <= simhash(base) < 1 << 63


def test_search_words_match_word_starts_without_diacritics():
    from tayho_site.text import query_words, search_words

    stored = search_words("Đèn chiếu sáng ven Hồ Tây (thời gian: 2026)")
    assert all(f" {word}" in stored for word in query_words("HỒ tây, đèn"))
    assert " ho" in stored and " thoi" in stored
    assert not any(f" {word}" in stored for word in query_words("oi"))  # inside a word: no match
    assert query_words("") == [] and search_words("") == ""


def test_a_typed_query_keeps_no_control_character():
    assert typed_query(" hồ\x00tây\r\n  \x1b[31m") == "hồ tây [31m"
    assert typed_query("x" * 300, 200) == "x" * 200
    assert typed_query(None) == ""


def test_query_words_are_letters_and_digits_only():
    assert query_words('"Đùn\x00đẩy" OR (né* NEAR/2 "') == ["dun", "day", "or", "ne", "near", "2"]
