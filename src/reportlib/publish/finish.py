"""Finish a report's whole HTML document: what needs all of it, for the board's HTML and for every format made from it.

The figures' numbers, the tables' labelled regions, the table of contents, the headings kept with
their charts, a draft's marks and the link to the PDF beside the HTML. The beretning's export
(:mod:`reportlib.publish.export`) and the network's report (:mod:`reportlib.publish.network`)
finish their pages here, before any format is written (:mod:`reportlib.publish.formats`).
"""

from __future__ import annotations

import re
from html import escape as html_escape

from bs4 import BeautifulSoup

DRAFT = "UDKAST"


def finish_document(html: str, *, draft: bool = False, pdf_link: str = "",
                    pdf_text: str = "Hent beretningen som PDF") -> str:
    """Do what needs the whole document: number the figures, label the tables, add a table of contents.

    ``draft`` marks the document as a draft: a banner first, "UDKAST" before its title, and the
    class the print stylesheet puts "UDKAST" at the top of every page by. ``pdf_link`` links the
    HTML to the PDF beside it, under the title (a file name; the link is not printed), in the words
    ``pdf_text``.

    Figures with a caption are numbered in document order ("Figur 3."), in the text itself. Each
    table's scrolling region is a focusable, labelled region (named by the table's caption), so a
    wide table can be scrolled with the keyboard. Every h2 gets an id, and with three or more of
    them a table of contents (with page numbers in the PDF) follows the title.
    """
    soup = BeautifulSoup(html, features="html.parser")
    taken = {tag["id"] for tag in soup.find_all(id=True)}

    def unique_id(text: str) -> str:
        base = re.sub(r"\W+", "-", text.casefold()).strip("-") or "afsnit"
        candidate, number = base, 1
        while candidate in taken:
            number += 1
            candidate = f"{base}-{number}"
        taken.add(candidate)
        return candidate

    for number, caption in enumerate(soup.select("figure > figcaption"), start=1):
        label = soup.new_tag("span", attrs={"class": "figure-number"})
        label.string = f"Figur {number}."
        caption.insert(0, " ")
        caption.insert(0, label)
    for wrap in soup.select("div.table-wrap"):
        wrap["role"], wrap["tabindex"] = "region", "0"
        caption = wrap.find("caption")
        if caption is not None:
            caption["id"] = caption.get("id") or unique_id(f"tabel-{caption.get_text()}")
            wrap["aria-labelledby"] = caption["id"]
        else:
            wrap["aria-label"] = "Tabel"
    _keep_headings_with_charts(soup)
    headings = soup.find_all("h2")
    for heading in headings:
        heading["id"] = heading.get("id") or unique_id(heading.get_text())
    listed = [heading for heading in headings if "glance" not in (heading.parent.get("class") or [])]
    main = soup.find("main")
    if pdf_link and main is not None:
        link = BeautifulSoup(f'<p class="pdf-link"><a href="{html_escape(pdf_link)}">{html_escape(pdf_text)}'
                             '</a></p>', features="html.parser")
        title = main.find("header", class_="title")
        if title is not None:
            title.append(link)
        else:
            main.insert(0, link)
    if draft and main is not None:
        main["class"] = [*main.get("class", []), "draft"]
        banner = BeautifulSoup(f'<p class="draft-banner"><strong>{DRAFT}</strong>: ikke den endelige beretning</p>',
                               features="html.parser")
        main.insert(0, banner)
        if soup.title is not None and soup.title.string:
            soup.title.string = f"{DRAFT}: {soup.title.string}"
        if main.get("data-title"):
            main["data-title"] = f"{DRAFT}: {main['data-title']}"
    if len(listed) >= 3:
        # Two forms of one table of contents, each shown where it fits (CSS): open on a wide screen and
        # on paper, folded under "Indhold" on a phone, so the year's figures are the first thing there.
        position = _toc_position(soup)
        wide, narrow = unique_id("indhold"), unique_id("indhold")
        main.insert(position, _toc(soup, listed, narrow, folded=True))
        main.insert(position, _toc(soup, listed, wide, folded=False))
    return str(soup)


def _keep_headings_with_charts(soup: BeautifulSoup) -> None:
    """Wrap a heading, the paragraph under it (if one) and the chart after them, so no page parts them.

    That is how an analyst's Markdown cell (``## Title`` and a sentence) and the chart of the next
    cell arrive: siblings, which a heading's ``break-after: avoid`` alone does not hold together.
    """
    for figure in soup.find_all("figure"):
        before = [sibling for sibling in figure.previous_siblings if getattr(sibling, "name", None)][:2]
        if before and before[0].name == "p" and len(before) > 1 and before[1].name in ("h2", "h3"):
            group = [before[1], before[0]]
        elif before and before[0].name in ("h2", "h3"):
            group = [before[0]]
        else:
            continue
        wrapper = soup.new_tag("div", attrs={"class": "keep-with-chart"})
        group[0].insert_before(wrapper)
        for element in [*group, figure]:
            wrapper.append(element.extract())


def _toc(soup: BeautifulSoup, headings: list, heading_id: str, *, folded: bool):
    entries = soup.new_tag("ol")
    for heading in headings:
        link = soup.new_tag("a", href=f"#{heading['id']}")
        link.string = heading.get_text(" ", strip=True)
        entry = soup.new_tag("li")
        entry.append(link)
        entries.append(entry)
    if not folded:
        nav = soup.new_tag("nav", attrs={"class": "toc toc-open", "aria-labelledby": heading_id})
        title = soup.new_tag("h2", id=heading_id)
        title.string = "Indhold"
        nav.extend([title, entries])
        return nav
    nav = soup.new_tag("nav", attrs={"class": "toc toc-folded", "aria-label": "Indhold"})
    details = soup.new_tag("details")
    summary = soup.new_tag("summary", id=heading_id)
    summary.string = "Indhold"
    details.extend([summary, entries])
    nav.append(details)
    return nav


def _toc_position(soup: BeautifulSoup) -> int:
    """After the title block and the year at a glance that follows it, else at the top of the document."""
    main = soup.find("main")
    first = main.find("section", class_="glance") or main.find("header", class_="title")
    if first is None:
        return 0
    top = first if first.parent is main else next(p for p in first.parents if p.parent is main)
    return main.contents.index(top) + 1
