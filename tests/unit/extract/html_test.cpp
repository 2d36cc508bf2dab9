#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "extract/extract.h"
#include "support/golden.h"

namespace mcdewey::extract {
namespace {

using mcdewey::testing::data_file;
using mcdewey::testing::expect_golden;

// Extracts `html` and returns the Markdown, failing the test if extraction fails.
std::string md(const std::string& html) {
  auto doc = extract_html(html);
  EXPECT_TRUE(doc.is_ok()) << doc.status().to_string();
  return doc.is_ok() ? doc->markdown : std::string();
}

std::string page(const std::string& body) { return "<!DOCTYPE html><html><head><title>T</title></head><body>" + body + "</body></html>"; }

bool has(const std::string& haystack, const std::string& needle) { return haystack.find(needle) != std::string::npos; }

// --- real pages ----------------------------------------------------------------------------------

struct Fixture {
  const char* file;
  const char* title;
  const char* must_have;     // a sentence from the body
  const char* must_not_have;  // navigation or footer text of the page
};

class HtmlGolden : public ::testing::TestWithParam<Fixture> {};

TEST_P(HtmlGolden, MatchesGoldenAndDropsChrome) {
  const Fixture& f = GetParam();
  auto doc = extract_html(data_file(std::string("html/") + f.file));
  ASSERT_TRUE(doc.is_ok()) << doc.status().to_string();
  EXPECT_EQ(doc->format, model::Format::kHtml);
  EXPECT_EQ(doc->page_count, 0);
  EXPECT_EQ(doc->title, f.title);
  EXPECT_TRUE(has(doc->markdown, f.must_have)) << f.must_have;
  EXPECT_FALSE(has(doc->markdown, f.must_not_have)) << f.must_not_have;
  std::string name = f.file;
  name = name.substr(0, name.rfind('.'));
  expect_golden("extract/html/" + name + ".md", doc->markdown);
}

INSTANTIATE_TEST_SUITE_P(
    HtmlPages, HtmlGolden,
    ::testing::Values(
        Fixture{"python-bisect.html", "bisect — Array bisection algorithm",
                "# `bisect` — Array bisection algorithm", "Previous topic"},
        Fixture{"sqlite-datatype3.html", "Datatypes In SQLite", "## 2.1. Boolean Datatype", "Table Of Contents"},
        Fixture{"git-tag.html", "git-tag(1)", "## SYNOPSIS", "Last updated"},
        Fixture{"kea-agent.html", "7. The Kea Control Agent", "## 7.2. Configuration", "Built with"}),
    [](const ::testing::TestParamInfo<Fixture>& info) {
      std::string n;
      for (const char* c = info.param.file; *c != '.' && *c != '\0'; ++c) n += (*c == '-') ? '_' : *c;
      return n;
    });

TEST(HtmlCorpusPages, NoNavigationCruft) {
  for (const char* f : {"python-bisect.html", "sqlite-datatype3.html", "git-tag.html", "kea-agent.html"}) {
    const std::string m = md(data_file(std::string("html/") + f));
    for (const char* cruft : {"Previous topic", "Next topic", "This Page", "Quick search", "Show Source", "Report a Bug",
                              "Table Of Contents", "Table of Contents", "Navigation", "Copyright", "Created using",
                              "Last updated", "\xC2\xB6", "Quick search", "Small. Fast. Reliable.", "previous |",
                              "Permalink", "Loading"}) {
      EXPECT_FALSE(has(m, cruft)) << f << " contains " << cruft;
    }
  }
}

// --- mapping of elements ---------------------------------------------------------------------------

TEST(HtmlHeadings, AllLevelsOnTheirOwnLines) {
  const std::string m = md(page("<h1>One</h1><p>a</p><h2>Two</h2><h3>Three</h3><h4>Four</h4><h5>Five</h5><h6>Six</h6>"));
  EXPECT_EQ(m, "# One\n\na\n\n## Two\n\n### Three\n\n#### Four\n\n##### Five\n\n###### Six\n");
}

TEST(HtmlHeadings, InlineMarkupAndPermalinksInside) {
  const std::string m = md(page("<h2><span>2.1. </span>The <code>foo</code>\n  option<a class=\"headerlink\" "
                                "href=\"#x\">\xC2\xB6</a></h2><p>text</p>"));
  EXPECT_EQ(m, "## 2.1. The `foo` option\n\ntext\n");
}

TEST(HtmlParagraphs, WhitespaceCollapsesAndBlocksSeparate) {
  const std::string m = md(page("<p>one\n   two\t three</p><div>four <span>five</span></div>six"));
  EXPECT_EQ(m, "one two three\n\nfour five\n\nsix\n");
}

TEST(HtmlLists, NestingAndNumbering) {
  const std::string m = md(page("<p>Intro</p><ul><li>a<ul><li>a1</li><li>a2<ol><li>x</li><li>y</li></ol></li></ul></li>"
                                "<li><p>b</p></li></ul><ol start=\"9\"><li>nine</li><li>ten<ul><li>t</li></ul></li></ol>"
                                "<p>After</p>"));
  EXPECT_EQ(m,
            "Intro\n\n"
            "- a\n"
            "  - a1\n"
            "  - a2\n"
            "    1. x\n"
            "    2. y\n"
            "- b\n\n"
            "9. nine\n"
            "10. ten\n"
            "    - t\n\n"
            "After\n");
}

TEST(HtmlLists, ParagraphsInsideAnItem) {
  const std::string m = md(page("<ul><li><p>first</p><p>second</p></li><li>next</li></ul>"));
  EXPECT_EQ(m, "- first\n\n  second\n- next\n");
}

TEST(HtmlLists, StrayItemIsAParagraph) {
  // "<p><li>" after a list has closed: the item never ends and must not indent the rest.
  const std::string m = md(page("<ul><li>a</li></ul><p><li>stray</p><h2>Later</h2><p>text</p>"));
  EXPECT_EQ(m, "- a\n\nstray\n\n## Later\n\ntext\n");
}

TEST(HtmlPre, FencedWithLineBreaksKept) {
  const std::string m =
      md(page("<p>Run:</p><pre>\n$ make   -j2\n\n    indented &lt;x&gt;\n# a comment\n</pre><p>done</p>"));
  EXPECT_EQ(m, "Run:\n\n```\n$ make   -j2\n\n    indented <x>\n# a comment\n```\n\ndone\n");
}

TEST(HtmlPre, LongerFenceWhenCodeHasBackticks) {
  const std::string m = md(page("<pre>before\n```\ninside\n````\nafter</pre>"));
  EXPECT_EQ(m, "`````\nbefore\n```\ninside\n````\nafter\n`````\n");
}

TEST(HtmlPre, HighlightedSpansAndLanguage) {
  const std::string m = md(page("<div class=\"highlight-python3 notranslate\"><div class=\"highlight\"><pre><span></span>"
                                "<span class=\"k\">def</span> <span class=\"nf\">f</span>():\n    <span "
                                "class=\"k\">pass</span>\n</pre></div></div>"));
  EXPECT_EQ(m, "```python3\ndef f():\n    pass\n```\n");
}

TEST(HtmlPre, InsideListItemIsIndented) {
  const std::string m = md(page("<ol><li>Do:<pre>a\nb</pre></li></ol>"));
  EXPECT_EQ(m, "1. Do:\n\n   ```\n   a\n   b\n   ```\n");
}

TEST(HtmlCode, InlineSpansWithBackticksInside) {
  const std::string m = md(page("<p>Use <code>a`b</code> and <code>`x`</code> or <tt>plain</tt>, <kbd>Ctrl</kbd>.</p>"));
  EXPECT_EQ(m, "Use ``a`b`` and `` `x` `` or `plain`, `Ctrl`.\n");
}

TEST(HtmlTable, PipeTableWithEscapes) {
  const std::string m = md(page("<table><caption>Limits</caption><thead><tr><th>Name</th><th>Value</th></tr></thead>"
                                "<tbody><tr><td>a | b</td><td><p>line one</p><p>line<br>two</p></td></tr>"
                                "<tr><td colspan=\"2\">wide</td></tr></tbody></table>"));
  EXPECT_EQ(m,
            "Limits\n\n"
            "| Name | Value |\n"
            "| --- | --- |\n"
            "| a \\| b | line one line two |\n"
            "| wide |  |\n");
}

TEST(HtmlTable, LayoutTablesBecomeBlocks) {
  // One cell, one row, or a table inside a table: boxes around content, not data.
  EXPECT_EQ(md(page("<table><tr><td><h2>Title</h2><p>Body text.</p></td></tr></table>")), "## Title\n\nBody text.\n");
  EXPECT_EQ(md(page("<table><tr><td><p>left</p></td><td><p>right</p></td></tr></table>")), "left\n\nright\n");
  EXPECT_EQ(md(page("<table><tr><td><table><tr><th>k</th><th>v</th></tr><tr><td>1</td><td>2</td></tr></table></td>"
                    "</tr><tr><td>below</td></tr></table>")),
            "| k | v |\n| --- | --- |\n| 1 | 2 |\n\nbelow\n");
}

TEST(HtmlDefinitionList, BoldTermsThenDefinitions) {
  const std::string m = md(page("<dl><dt>-a</dt><dt>--all</dt><dd><p>Stage everything.</p></dd>"
                                "<dt><code>key</code></dt><dd>A key.</dd></dl><p>After.</p>"));
  EXPECT_EQ(m, "**-a**, **--all**\n\nStage everything.\n\n**`key`**\n\nA key.\n\nAfter.\n");
}

TEST(HtmlBlockquote, QuotedAndUnwrappedPre) {
  EXPECT_EQ(md(page("<p>He said:</p><blockquote><p>one</p><p>two</p></blockquote><p>end</p>")),
            "He said:\n\n> one\n>\n> two\n\nend\n");
  // SQLite indents code with <blockquote><pre>: that stays a plain code block.
  EXPECT_EQ(md(page("<blockquote><pre>int x;</pre></blockquote>")), "```\nint x;\n```\n");
}

TEST(HtmlLineBreak, BecomesHardBreak) {
  EXPECT_EQ(md(page("<p>line one<br>line two<br><br>line three<br></p>")), "line one\\\nline two\\\nline three\n");
}

TEST(HtmlLinks, TextOnly) {
  EXPECT_EQ(md(page("<p>See <a href=\"https://example.com/x\">the <b>manual</b></a>.</p>")), "See the manual.\n");
}

TEST(HtmlImages, AltTextOnlyWhenMeaningful) {
  EXPECT_EQ(md(page("<p>A <img src=\"a.png\" alt=\"network diagram\"> B <img src=\"b.png\" alt=\"\"> C "
                    "<img src=\"c.png\" alt=\"c.png\"> D <img src=\"d.png\"> E <img alt=\"image\" src=\"e.png\"></p>")),
            "A network diagram B C D E\n");
}

TEST(HtmlEntities, Decoded) {
  EXPECT_EQ(md(page("<p>&amp; &lt;tag&gt; caf&eacute; &#x2014; &#8220;q&#8221; a&nbsp;b &copy;</p>")),
            "& \\<tag> café — “q” a b ©\n");
}

// --- what the chunker must not misread -------------------------------------------------------------

TEST(HtmlEscaping, OnlyRealHeadingsStartWithHash) {
  const std::string m = md(page("<h1>Real</h1><p># not a heading</p><p>&lt;!-- page 7 --&gt; fake marker</p>"
                                "<p>\xEF\xBC\x83 full-width hash</p><p>1. not a list</p><p>- not a bullet</p>"
                                "<p>&gt; not a quote</p><p>===</p>"));
  EXPECT_EQ(m,
            "# Real\n\n"
            "\\# not a heading\n\n"
            "\\<!-- page 7 --> fake marker\n\n"
            "\\# full-width hash\n\n"
            "1\\. not a list\n\n"
            "\\- not a bullet\n\n"
            "\\> not a quote\n\n"
            "\\===\n");
}

TEST(HtmlEscaping, HeadingsInsideListsAreBold) {
  EXPECT_EQ(md(page("<ul><li><h3>Inner</h3><p>text</p></li></ul>")), "- **Inner**\n\n  text\n");
}

// --- title ---------------------------------------------------------------------------------------------

TEST(HtmlTitle, SuffixDroppedWhenH1Agrees) {
  auto d = extract_html("<html><head><title>7. The Agent \xE2\x80\x94 Kea 2.2.0 documentation</title></head>"
                        "<body><h1>7. The Agent<a class=\"headerlink\" href=\"#a\">\xC2\xB6</a></h1><p>x</p></body></html>");
  ASSERT_TRUE(d.is_ok());
  EXPECT_EQ(d->title, "7. The Agent");
  d = extract_html("<html><head><title>Intro | My Site</title></head><body><h1>Intro</h1><p>x</p></body></html>");
  ASSERT_TRUE(d.is_ok());
  EXPECT_EQ(d->title, "Intro");
}

TEST(HtmlTitle, KeptWhenH1Differs) {
  auto d = extract_html("<html><head><title>SELECT - SQL</title></head><body><h1>1. Overview</h1><p>x</p></body></html>");
  ASSERT_TRUE(d.is_ok());
  EXPECT_EQ(d->title, "SELECT - SQL");
}

TEST(HtmlTitle, FirstH1WithoutTitle) {
  auto d = extract_html("<html><body><h2>Sub</h2><h1>The <code>x</code> module</h1><p>x</p></body></html>");
  ASSERT_TRUE(d.is_ok());
  EXPECT_EQ(d->title, "The x module");
}

// --- boilerplate ---------------------------------------------------------------------------------------

TEST(HtmlBoilerplate, ScriptStyleNavAndFurnitureRemoved) {
  const std::string m =
      md(page("<script>var x = 'script text';</script><style>p { color: red }</style>"
              "<nav><ul><li>Home</li></ul></nav><div role=\"navigation\">Prev | Next</div>"
              "<div class=\"sidebar\">Sidebar</div><div id=\"breadcrumbs\">Docs &raquo; Page</div>"
              "<div class=\"cookie-banner\">We use cookies</div><header><a>Logo</a></header>"
              "<h1>Body</h1><p>Real text.</p><noscript>Enable JS</noscript><template><p>tpl</p></template>"
              "<form><input value=\"q\"><button>Go</button></form><div class=\"footer\">(c) 2024</div>"
              "<footer>Footer</footer><aside>Aside</aside>"));
  EXPECT_EQ(m, "# Body\n\nReal text.\n");
}

TEST(HtmlBoilerplate, MainContentPreferred) {
  const std::string m = md(page("<div class=\"menu\">x</div><p>outside</p><main><h1>Inside</h1><p>text</p>"
                                "<aside class=\"sidebar\"><p>A boxed note.</p></aside></main><p>after</p>"));
  EXPECT_EQ(m, "# Inside\n\ntext\n\nA boxed note.\n");
}

TEST(HtmlBoilerplate, SphinxBodyAndSidebar) {
  const std::string m = md(page(
      "<div class=\"related\" role=\"navigation\"><h3>Navigation</h3></div><div class=\"document\">"
      "<div class=\"body\" role=\"main\"><section id=\"related-modules\"><h1>Related modules</h1><p>Kept.</p>"
      "</section></div><div class=\"sphinxsidebar\"><h3>Table of Contents</h3></div></div>"
      "<div class=\"footer\">Created using Sphinx</div>"));
  EXPECT_EQ(m, "# Related modules\n\nKept.\n");
}

TEST(HtmlBoilerplate, HeaderWithTheTitleIsContent) {
  // AsciiDoc puts the page's <h1> and the NAME section in div#header.
  const std::string m = md(page("<div id=\"header\"><h1>git-x(1)</h1><h2>NAME</h2><p>git-x - does x</p></div>"
                                "<div class=\"header\"><a href=\"/\">Site</a></div><p>Body.</p>"));
  EXPECT_EQ(m, "# git-x(1)\n\n## NAME\n\ngit-x - does x\n\nBody.\n");
}

TEST(HtmlBoilerplate, TableOfContentsBoxDropped) {
  const std::string m = md(page("<div class=\"toc\"><p><b>Table of Contents</b></p><ul><li><a href=\"#a\">Getting "
                                "started</a></li><li><a href=\"#b\">Configuring the server</a></li></ul></div>"
                                "<h2 id=\"a\"><a class=\"toc-backref\" href=\"#t\">Getting started</a></h2><p>text</p>"));
  EXPECT_EQ(m, "## Getting started\n\ntext\n");
}

TEST(HtmlHostile, NoScriptNoHandlersNoJavascriptUrls) {
  auto doc = extract_html(data_file("html/hostile.html"));
  ASSERT_TRUE(doc.is_ok()) << doc.status().to_string();
  const std::string& m = doc->markdown;
  for (const char* bad : {"alert", "javascript:", "JaVaScRiPt", "onerror", "onclick", "onload", "<script", "data:text"}) {
    EXPECT_FALSE(has(m, bad)) << "output contains " << bad << ":\n" << m;
  }
  for (const char* good : {"# Hostile page", "Hover text stays", "Wiring diagram", "example site", "data link text",
                           "Details summary", "A div with a style", "| a \\| b | 1 |", "code line 2 <tag>",
                           "next paragraph"}) {
    EXPECT_TRUE(has(m, good)) << "output lacks " << good << ":\n" << m;
  }
  EXPECT_EQ(doc->title, "Hostile page");
}

// --- encodings and refusals ----------------------------------------------------------------------------

TEST(HtmlEncoding, DeclaredLatin1IsConverted) {
  const std::string latin1 =
      "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-1\">"
      "<title>Caf\xE9</title></head><body><p>Caf\xE9 cr\xE8me, 10\xB0" "C, \x93quoted\x94 \x80 5</p></body></html>";
  auto d = extract_html(latin1);
  ASSERT_TRUE(d.is_ok()) << d.status().to_string();
  // Latin-1 labels mean windows-1252 (WHATWG), so 0x93/0x94/0x80 are curly quotes and the euro sign.
  EXPECT_EQ(d->markdown, "Café crème, 10°C, “quoted” € 5\n");
  EXPECT_EQ(d->title, "Café");
  EXPECT_FALSE(d->warnings.empty());

  auto meta_charset = extract_html("<html><head><meta charset=\"windows-1252\"></head><body>na\xEFve</body></html>");
  ASSERT_TRUE(meta_charset.is_ok());
  EXPECT_EQ(meta_charset->markdown, "naïve\n");
}

TEST(HtmlEncoding, InvalidUtf8WithoutCharsetRefused) {
  auto d = extract_html("<html><body><p>Caf\xE9</p></body></html>");
  ASSERT_FALSE(d.is_ok());
  EXPECT_EQ(d.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(d.status().message(), "not valid UTF-8 (bad byte at offset 18) and no legacy charset declared");

  auto other = extract_html("<html><head><meta charset=\"shift_jis\"></head><body>\x82\xA0</body></html>");
  ASSERT_FALSE(other.is_ok());
  EXPECT_EQ(other.status().code(), ErrorCode::kInvalidArgument);
}

TEST(HtmlEncoding, BomAndNormalisation) {
  EXPECT_EQ(md("\xEF\xBB\xBF<p>e\xEF\xAC\x83" "cient \xEF\xBC\xA1</p>"), "efficient A\n");
}

TEST(HtmlEmpty, NoBodyTextRefused) {
  for (const std::string& html : {std::string("<html><head><title>Only a title</title></head><body></body></html>"),
                                  page("<nav><a href=\"/\">Home</a></nav><script>x()</script><footer>f</footer>"),
                                  page("  <p> </p> <div>&nbsp;</div> "), std::string("")}) {
    auto d = extract_html(html);
    ASSERT_FALSE(d.is_ok()) << html;
    EXPECT_EQ(d.status().code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(d.status().message(), "no text (empty document)");
  }
}

// --- robustness ----------------------------------------------------------------------------------------

std::string nested(const std::string& open, const std::string& close, int depth, const std::string& inner) {
  std::string s;
  s.reserve((open.size() + close.size()) * static_cast<size_t>(depth) + inner.size());
  for (int i = 0; i < depth; ++i) s += open;
  s += inner;
  for (int i = 0; i < depth; ++i) s += close;
  return s;
}

TEST(HtmlDeepNesting, HundredThousandLevelsDoNotCrash) {
  const auto start = std::chrono::steady_clock::now();
  struct Case {
    std::string open, close;
  };
  for (const Case& c : {Case{"<div>", "</div>"}, Case{"<div>", ""}, Case{"<div/>", ""}, Case{"<span>", "</span>"},
                        Case{"<blockquote>", "</blockquote>"}, Case{"<ul><li>", "</li></ul>"},
                        Case{"<table><tr><td>", "</td></tr></table>"}, Case{"<b>", ""}, Case{"<dl><dd>", ""}}) {
    auto d = extract_html(page("<p>top</p>" + nested(c.open, c.close, 100000, "deep text") + "<p>bottom</p>"));
    ASSERT_TRUE(d.is_ok()) << c.open << ": " << d.status().to_string();
    EXPECT_TRUE(has(d->markdown, "deep text")) << c.open;
    EXPECT_TRUE(has(d->markdown, "top")) << c.open;
  }
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_LT(secs, 30.0);  // quadratic behaviour would take minutes
}

TEST(HtmlRobustness, HugeFlatPageAndOddInput) {
  std::string big;
  for (int i = 0; i < 20000; ++i) big += "<p>Paragraph " + std::to_string(i) + " with some words in it.</p>\n";
  auto d = extract_html(page(big));
  ASSERT_TRUE(d.is_ok());
  EXPECT_TRUE(has(d->markdown, "Paragraph 19999 with"));

  // Truncated markup, stray end tags, NUL bytes, unterminated comments and attributes.
  for (const std::string& odd :
       {std::string("<p>text</div></span></table></li><li>x"), std::string("<p>a\0b</p>", 10),
        std::string("<p>ok</p><!-- never closed"), std::string("<p title=\"unterminated>text"),
        std::string("<table><td>cell<table><td>inner"), std::string("<svg><p>x</p></svg>after"),
        std::string("<pre>"), std::string("<ul><li><ol><li><dl><dt>t<dd>d")}) {
    auto r = extract_html(odd);  // a value or a typed error, never a crash
    if (!r.is_ok()) {
      EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument);
    }
  }
}

}  // namespace
}  // namespace mcdewey::extract
