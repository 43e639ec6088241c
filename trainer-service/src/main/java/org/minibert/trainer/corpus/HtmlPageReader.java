package org.minibert.trainer.corpus;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeVisitor;

/**
 * Reads one HTML page as one document: the prose of its block elements, a paragraph per block,
 * split into sentences. Everything around the prose goes: scripts, styles, navigation, headers and
 * footers, forms, code listings, headings (titles, not sentences) and fragments that do not end
 * like a sentence.
 *
 * <p>The pages this is tuned for are Debian's {@code libreoffice-help-ko}: the text lives in {@code
 * #DisplayArea}, away from the header, the index and the "Help content debug info" footer; a "이 명령을
 * 사용하려면..." box lists menu paths, a related-topics box lists links, icon tables hold only icon
 * names and "D'oh! You found a bug" boxes stand in for missing text, so all of them are dropped. A
 * {@code switchinline} (or {@code switch}) holds the same words once per platform (or application);
 * only the default alternative is kept, otherwise "LibreOffice - Preferences" and "Tools - Options"
 * would run into each other.
 */
public final class HtmlPageReader implements DocumentReader {
  private static final String NOT_PROSE =
      String.join(
          ", ",
          "script, style, noscript, template, head, nav, header, footer, aside, form, button,"
              + " select, textarea",
          "svg, iframe, pre, h1, h2, h3, h4, h5, h6",
          ".howtoget, .relatedtopics, .related, .relatedbody, .icontable, .bug");
  private static final Set<String> BLOCKS =
      Set.of(
          "address",
          "article",
          "blockquote",
          "br",
          "caption",
          "dd",
          "div",
          "dl",
          "dt",
          "figcaption",
          "figure",
          "hr",
          "li",
          "main",
          "ol",
          "p",
          "section",
          "table",
          "td",
          "th",
          "tr",
          "ul");

  /**
   * Sentence-final punctuation (or a colon that leads into an example), maybe closing quotes or
   * brackets.
   */
  private static final Pattern SENTENCE_END = Pattern.compile("[.?!。…？！:][\"'”’」』)\\]]*$");

  private final SentenceSplitter splitter = new SentenceSplitter();

  @Override
  public void read(Path file, Consumer<Document> sink, CorpusStats stats, int maxRecordChars)
      throws IOException {
    org.jsoup.nodes.Document page = Jsoup.parse(readAll(file, stats, maxRecordChars));
    String title = title(page);
    Element content = page.getElementById("DisplayArea");
    Element root = content != null ? content : page.body();
    keepDefaultAlternatives(root);
    root.select(NOT_PROSE).remove();
    List<String> sentences = new ArrayList<>();
    for (String paragraph : paragraphs(root)) {
      splitter.split(paragraph).stream()
          .filter(HtmlPageReader::endsLikeSentence)
          .forEach(sentences::add);
    }
    if (sentences.isEmpty()) {
      stats.skippedPages++;
    } else {
      sink.accept(new Document(file.toString(), title, sentences));
    }
  }

  /**
   * Help pages and web pages are full of labels, values and captions ("Integer", "흑백으로 인쇄", "Yes")
   * between their sentences; prose ends with punctuation, they do not.
   */
  private static boolean endsLikeSentence(String sentence) {
    return SENTENCE_END.matcher(sentence).find();
  }

  /** The whole page: one record, so at most {@code maxRecordChars} characters. */
  private static String readAll(Path file, CorpusStats stats, int maxRecordChars)
      throws IOException {
    try (Reader reader = new CountingUtf8Reader(CorpusFiles.open(file, stats, 1), stats)) {
      StringBuilder html = new StringBuilder();
      char[] buffer = new char[1 << 14];
      for (int n; (n = reader.read(buffer)) > 0; ) {
        if (html.length() + n > maxRecordChars) {
          throw RecordLimits.tooLong(file.toString(), "the page", maxRecordChars);
        }
        html.append(buffer, 0, n);
      }
      return html.toString();
    }
  }

  private static String title(org.jsoup.nodes.Document page) {
    String title = Whitespace.collapse(page.title());
    if (title.isEmpty()) {
      Element heading = page.selectFirst("h1");
      return heading == null ? "" : Whitespace.collapse(heading.text());
    }
    return title;
  }

  /**
   * In each LibreOffice switch, keeps the alternative whose id starts with "default", else the
   * first.
   */
  private static void keepDefaultAlternatives(Element root) {
    for (Element alternatives : root.select(".switchinline, .switch")) {
      Element kept =
          alternatives.children().stream()
              .filter(child -> child.id().startsWith("default"))
              .findFirst()
              .orElse(alternatives.firstElementChild());
      alternatives.children().stream().filter(child -> child != kept).forEach(Element::remove);
    }
  }

  private static List<String> paragraphs(Element root) {
    ParagraphCollector collector = new ParagraphCollector();
    root.traverse(collector);
    collector.endParagraph();
    return collector.paragraphs;
  }

  /** Gathers the text of each block element, without the blocks nested in it, as one paragraph. */
  private static final class ParagraphCollector implements NodeVisitor {
    final List<String> paragraphs = new ArrayList<>();
    private final StringBuilder current = new StringBuilder();

    @Override
    public void head(Node node, int depth) {
      if (node instanceof TextNode text) {
        current.append(text.getWholeText());
      } else if (isBlock(node)) {
        endParagraph();
      }
    }

    @Override
    public void tail(Node node, int depth) {
      if (isBlock(node)) {
        endParagraph();
      }
    }

    void endParagraph() {
      String paragraph = Whitespace.collapse(current.toString());
      if (!paragraph.isEmpty()) {
        paragraphs.add(paragraph);
      }
      current.setLength(0);
    }
  }

  private static boolean isBlock(Node node) {
    return node instanceof Element element && BLOCKS.contains(element.normalName());
  }
}
