"""Finishing the whole page: figures numbered, tables labelled, the contents, headings kept with charts, a draft."""

from reportlib.publish.finish import finish_document


def test_the_document_is_finished_with_numbers_labels_and_contents():
    html = finish_document(
        '<main><header class="title"><h1>T</h1></header>'
        '<h2>Forord</h2><figure><img alt="a"><figcaption>Sager</figcaption></figure>'
        '<h2>Sager</h2><figure><img alt="b"></figure><figure><img alt="c"><figcaption>Områder</figcaption></figure>'
        '<div class="table-wrap"><table><caption>Sager efter type</caption></table></div>'
        '<div class="table-wrap"><table></table></div><h2>Sager</h2></main>')
    # Figures with a caption are numbered in the text, in document order.
    assert '<figcaption><span class="figure-number">Figur 1.</span> Sager</figcaption>' in html
    assert '<figcaption><span class="figure-number">Figur 2.</span> Områder</figcaption>' in html
    # A table's scrolling region is focusable and named by its caption (or "Tabel").
    assert ('<div aria-labelledby="tabel-sager-efter-type" class="table-wrap" role="region" tabindex="0">'
            '<table><caption id="tabel-sager-efter-type">') in html
    assert '<div aria-label="Tabel" class="table-wrap" role="region" tabindex="0">' in html
    # Every h2 gets a unique id, and the contents list them after the title: open for a wide screen and
    # paper, folded for a phone (CSS shows one of them).
    entries = ('<ol><li><a href="#forord">Forord</a></li><li><a href="#sager">Sager</a></li>'
               '<li><a href="#sager-2">Sager</a></li></ol>')
    assert html.index("</header><nav") > 0
    assert (f'<nav aria-labelledby="indhold" class="toc toc-open"><h2 id="indhold">Indhold</h2>{entries}</nav>'
            f'<nav aria-label="Indhold" class="toc toc-folded"><details><summary id="indhold-2">Indhold</summary>'
            f'{entries}</details></nav>') in html


def test_the_contents_follow_the_year_at_a_glance_which_they_do_not_list():
    html = finish_document('<main><header class="title"><h1>T</h1></header><section class="glance"><h2>Året i tal'
                           '</h2></section><h2>A</h2><h2>B</h2><h2>C</h2></main>')
    assert html.index('<nav aria-labelledby="indhold"') > html.index('</section>')
    assert "#året-i-tal" not in html and '<a href="#c">C</a>' in html


def test_no_contents_for_fewer_than_three_headings():
    assert "<nav" not in finish_document("<main><h2>Forord</h2><h2>Tak</h2></main>")


def test_an_analysts_heading_and_sentence_are_kept_with_the_chart_after_them():
    html = finish_document('<main><h2>Emner</h2><p>Fem emner.</p><figure><img alt="x"></figure>'
                           '<h3>Alene</h3><figure><img alt="y"></figure><p>Løs</p><figure><img alt="z"></figure>'
                           '</main>')
    assert ('<div class="keep-with-chart"><h2 id="emner">Emner</h2><p>Fem emner.</p><figure><img alt="x"/>'
            '</figure></div>') in html
    assert '<div class="keep-with-chart"><h3>Alene</h3><figure><img alt="y"/></figure></div>' in html
    assert html.endswith('<p>Løs</p><figure><img alt="z"/></figure></main>')  # no heading: nothing to keep


def test_a_draft_says_so_first_in_its_title_and_on_every_page_and_the_html_links_its_pdf():
    html = finish_document('<html><head><title>Beretning</title></head><body><main data-title="Beretning">'
                           '<header class="title"><h1>T</h1></header></main></body></html>', draft=True,
                           pdf_link="beretning.pdf")
    assert "<title>UDKAST: Beretning</title>" in html
    assert '<main class="draft" data-title="UDKAST: Beretning"><p class="draft-banner"><strong>UDKAST</strong>' in html
    assert ('<header class="title"><h1>T</h1><p class="pdf-link"><a href="beretning.pdf">Hent beretningen som PDF'
            '</a></p></header>') in html
    assert "UDKAST" not in finish_document('<main data-title="B"><h1>T</h1></main>')
