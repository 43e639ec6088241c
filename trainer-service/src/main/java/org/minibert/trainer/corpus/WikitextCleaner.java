package org.minibert.trainer.corpus;

import java.util.StringJoiner;
import java.util.regex.Pattern;
import org.jsoup.parser.Parser;

/**
 * Turns the wikitext of one article into plain prose: one paragraph per line, no markup, no
 * headings. What a reader of the rendered page sees as running text stays; templates, tables,
 * footnotes, media, categories and interlanguage links go, because they are not sentences and would
 * teach the model markup instead of Korean. The markup itself is removed by {@link
 * WikiMarkupScanner}; this class then works line by line: headings are dropped, list markup is
 * stripped, HTML entities are decoded (last, so that an escaped {@code &lt;ref&gt;} stays text),
 * whitespace is collapsed and the punctuation that removed templates leave behind is tidied up.
 */
public final class WikitextCleaner {
  private static final Pattern DANGLING_SEPARATOR = Pattern.compile(" *[,;] *(?=[,;)])");
  private static final Pattern LEADING_SEPARATOR = Pattern.compile("\\( *[,;] *");
  private static final Pattern EMPTY_PARENTHESES = Pattern.compile(" *\\( *\\)");

  /** Plain text paragraphs separated by {@code "\n"}; empty when nothing readable is left. */
  public String clean(String wikitext) {
    StringJoiner paragraphs = new StringJoiner("\n");
    for (String line : WikiMarkupScanner.strip(wikitext).split("\n")) {
      String paragraph = paragraph(line.strip());
      if (!paragraph.isEmpty()) {
        paragraphs.add(paragraph);
      }
    }
    return paragraphs.toString();
  }

  private static String paragraph(String line) {
    if (isHeading(line)) {
      return "";
    }
    return tidyLeftovers(
        Whitespace.collapse(Parser.unescapeEntities(stripListMarkup(line), false)));
  }

  /**
   * Removed templates leave their separators behind: {@code '''서울'''({{lang|en|Seoul}},
   * {{IPA|..}})} becomes {@code 서울(, )}. Drops separators before another separator or a closing
   * parenthesis, right after an opening one, and parentheses left empty.
   */
  private static String tidyLeftovers(String paragraph) {
    String tidied = DANGLING_SEPARATOR.matcher(paragraph).replaceAll("");
    tidied = LEADING_SEPARATOR.matcher(tidied).replaceAll("(");
    return EMPTY_PARENTHESES.matcher(tidied).replaceAll("");
  }

  /** {@code == 역사 ==}: a title, not a sentence. */
  private static boolean isHeading(String line) {
    return line.length() >= 2 && line.charAt(0) == '=' && line.charAt(line.length() - 1) == '=';
  }

  /**
   * The {@code *}, {@code #}, {@code :} and {@code ;} that make a line a list item or an indented
   * line.
   */
  private static String stripListMarkup(String line) {
    int start = 0;
    while (start < line.length() && "*#:;".indexOf(line.charAt(start)) >= 0) {
      start++;
    }
    return line.substring(start);
  }
}
