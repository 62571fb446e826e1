from tayho_site.sanitize import clean_html, strip_html


def test_script_and_its_content_are_removed():
    cleaned = clean_html('<p>Ý tưởng</p><script>alert("x")</script><style>p{}</style>')
    assert cleaned == "<p>Ý tưởng</p>"


def test_allowed_formatting_is_kept_and_attributes_dropped():
    cleaned = clean_html('<p class="x" onclick="evil()"><strong>Đậm</strong> <em>nghiêng</em></p><ul><li>Một</li></ul>')
    assert cleaned == "<p><strong>Đậm</strong> <em>nghiêng</em></p><ul><li>Một</li></ul>"


def test_headings_and_divisions_become_paragraphs_and_other_tags_are_stripped():
    assert clean_html("<h1>Tiêu đề</h1><div>Nội <span>dung</span></div>") == "<p>Tiêu đề</p><p>Nội dung</p>"


def test_javascript_links_lose_their_href_and_links_get_nofollow():
    cleaned = clean_html('<a href="javascript:alert(1)">bấm</a> <a href="https://tayho.hanoi.gov.vn">cổng</a>')
    assert "javascript" not in cleaned
    assert '<a href="https://tayho.hanoi.gov.vn" rel="nofollow noopener noreferrer">cổng</a>' in cleaned


def test_strip_html_keeps_words_apart_and_decodes_entities():
    assert strip_html("<p>Một</p><p>hai &amp; ba</p><script>x()</script>") == "Một hai & ba"


def test_editor_variants_are_normalised():
    assert clean_html("Một <b>hai</b> <i>ba</i>") == "<p>Một <strong>hai</strong> <em>ba</em></p>"
    assert clean_html("<p>Đã có đoạn</p>") == "<p>Đã có đoạn</p>"
