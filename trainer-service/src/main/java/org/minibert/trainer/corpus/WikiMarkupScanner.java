package org.minibert.trainer.corpus;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Removes the inline markup of wikitext in one left-to-right pass and keeps line breaks, so that
 * {@link WikitextCleaner} can deal with lines afterwards. Nested constructs (templates in
 * templates, tables in tables, links in image captions) are skipped by counting their delimiters
 * instead of with regular expressions, which cannot count and can backtrack badly on the long pages
 * of a real dump.
 *
 * <p>Every {@code consume...} method looks at the current position and either consumes one
 * construct, writing the text it shows to the reader, and returns {@code true}, or returns {@code
 * false} and leaves the character to be copied as it is.
 */
final class WikiMarkupScanner {
  /** Tags whose content is not prose: footnotes, formulas, code, galleries, maps, music. */
  private static final Set<String> DROPPED_TAGS =
      Set.of(
          "ref",
          "references",
          "math",
          "chem",
          "ce",
          "gallery",
          "timeline",
          "score",
          "syntaxhighlight",
          "source",
          "pre",
          "graph",
          "imagemap",
          "mapframe",
          "maplink",
          "hiero",
          "templatestyles",
          "templatedata",
          "inputbox",
          "categorytree");

  /**
   * Link namespaces that show no text in the article: media and categories, in English and Korean.
   */
  private static final Set<String> HIDDEN_LINK_NAMESPACES =
      Set.of("file", "image", "media", "category", "파일", "그림", "미디어", "분류");

  /** The prefix of an interlanguage link such as {@code [[en:Seoul]]} or {@code [[zh-yue:首爾]]}. */
  private static final Pattern LANGUAGE_CODE = Pattern.compile("[a-z]{2,3}(-[a-z]+)*");

  private static final List<String> BARE_URL_SCHEMES = List.of("http://", "https://", "ftp://");
  private static final List<String> LINK_URL_SCHEMES =
      List.of("http://", "https://", "ftp://", "//", "mailto:");

  private final String src;
  private final StringBuilder out;
  private int pos;

  private WikiMarkupScanner(String src) {
    this.src = src;
    this.out = new StringBuilder(src.length());
  }

  /** The text of {@code wikitext} without its markup; lines stay lines. */
  static String strip(String wikitext) {
    WikiMarkupScanner scanner = new WikiMarkupScanner(wikitext);
    scanner.run();
    return scanner.out.toString();
  }

  private void run() {
    while (pos < src.length()) {
      char c = src.charAt(pos);
      boolean consumed =
          switch (c) {
            case '<' -> consumeComment() || consumeTag();
            case '{' -> consumeTemplate() || consumeTable();
            case '[' -> consumeInternalLink() || consumeExternalLink();
            case '\'' -> consumeQuotes();
            case '_' -> consumeMagicWord();
            case 'h', 'H', 'f', 'F' -> consumeBareUrl();
            default -> false;
          };
      if (!consumed) {
        out.append(c);
        pos++;
      }
    }
  }

  /** {@code <!-- ... -->}; an unclosed comment runs to the end, as in MediaWiki. */
  private boolean consumeComment() {
    if (!src.startsWith("<!--", pos)) {
      return false;
    }
    int end = src.indexOf("-->", pos + 4);
    pos = end < 0 ? src.length() : end + 3;
    return true;
  }

  /**
   * An HTML-like tag. Tags in {@link #DROPPED_TAGS} go with their content; any other tag loses only
   * its markup, so {@code <b>}, {@code <span>} or {@code <sup>} keep their text. {@code <br>}
   * becomes a space.
   */
  private boolean consumeTag() {
    int nameStart = src.startsWith("</", pos) ? pos + 2 : pos + 1;
    int nameEnd = nameStart;
    while (nameEnd < src.length() && isAsciiLetterOrDigit(src.charAt(nameEnd))) {
      nameEnd++;
    }
    if (nameEnd == nameStart || nameEnd == src.length() || !isAsciiLetter(src.charAt(nameStart))) {
      return false;
    }
    char afterName = src.charAt(nameEnd);
    int tagEnd = tagEnd(nameEnd);
    if (tagEnd < 0
        || (afterName != '>' && afterName != '/' && !Character.isWhitespace(afterName))) {
      return false;
    }
    String name = src.substring(nameStart, nameEnd).toLowerCase(Locale.ROOT);
    boolean opening = nameStart == pos + 1;
    boolean selfClosing = src.charAt(tagEnd - 1) == '/';
    pos = tagEnd + 1;
    if (name.equals("br")) {
      out.append(' ');
    } else if (opening && !selfClosing && DROPPED_TAGS.contains(name)) {
      int close = indexOfIgnoreCase("</" + name, pos);
      if (close >= 0) {
        int closeEnd = src.indexOf('>', close);
        pos = closeEnd < 0 ? src.length() : closeEnd + 1;
      }
    }
    return true;
  }

  /**
   * Index of the {@code >} that ends a tag on its own line; -1 when a newline or {@code <} comes
   * first.
   */
  private int tagEnd(int from) {
    for (int i = from; i < src.length(); i++) {
      char c = src.charAt(i);
      if (c == '>') {
        return i;
      }
      if (c == '\n' || c == '<') {
        return -1;
      }
    }
    return -1;
  }

  /**
   * {@code {{template}}}, also nested and with {@code {{{parameters}}}}: skipped by counting single
   * braces until they balance. An unclosed template loses its opening braces only.
   */
  private boolean consumeTemplate() {
    if (!src.startsWith("{{", pos)) {
      return false;
    }
    int depth = 0;
    for (int i = pos; i < src.length(); i++) {
      char c = src.charAt(i);
      if (c == '{') {
        depth++;
      } else if (c == '}' && --depth == 0) {
        pos = i + 1;
        return true;
      }
    }
    pos += 2;
    return true;
  }

  /**
   * A table {@code {| ... |}} at the start of a line, nested tables included: its cells are rarely
   * sentences. Both delimiters count only at the start of a line; an unclosed table runs to the
   * end.
   */
  private boolean consumeTable() {
    if (!src.startsWith("{|", pos) || !atLineStart(pos)) {
      return false;
    }
    int depth = 0;
    int line = pos;
    while (true) {
      if (src.startsWith("{|", line)) {
        depth++;
      } else if (src.startsWith("|}", line) && --depth == 0) {
        pos = line + 2;
        return true;
      }
      int newline = src.indexOf('\n', line);
      if (newline < 0) {
        pos = src.length();
        return true;
      }
      line = skipBlanks(newline + 1);
    }
  }

  /**
   * {@code [[target|label]]} shows its label, {@code [[target]]} its target; a link trail such as
   * the {@code s} of {@code [[link]]s} is ordinary text that follows. Media, category and
   * interlanguage links show nothing, whatever links their captions hold; {@code [[:분류:X]]} is a
   * visible link to a category.
   */
  private boolean consumeInternalLink() {
    if (!src.startsWith("[[", pos)) {
      return false;
    }
    int end = matchingLinkEnd();
    if (end < 0) {
      pos += 2;
      return true;
    }
    String inner = src.substring(pos + 2, end);
    pos = end + 2;
    int pipe = inner.indexOf('|');
    String target = (pipe < 0 ? inner : inner.substring(0, pipe)).strip();
    if (target.startsWith(":")) {
      target = target.substring(1);
    } else if (isHiddenLink(target)) {
      return true;
    }
    String label = pipe < 0 ? "" : inner.substring(pipe + 1);
    out.append(strip(label.isBlank() ? target : label));
    return true;
  }

  /**
   * Index of the {@code ]]} that closes the {@code [[} at {@link #pos}, counting nested links; -1
   * if none.
   */
  private int matchingLinkEnd() {
    int depth = 0;
    int i = pos;
    while (i < src.length() - 1) {
      if (src.startsWith("[[", i)) {
        depth++;
        i += 2;
      } else if (src.startsWith("]]", i)) {
        if (--depth == 0) {
          return i;
        }
        i += 2;
      } else {
        i++;
      }
    }
    return -1;
  }

  private static boolean isHiddenLink(String target) {
    int colon = target.indexOf(':');
    if (colon < 0) {
      return false;
    }
    String prefix = target.substring(0, colon).strip();
    return HIDDEN_LINK_NAMESPACES.contains(prefix.toLowerCase(Locale.ROOT))
        || LANGUAGE_CODE.matcher(prefix).matches();
  }

  /**
   * {@code [http://x label]} shows its label; {@code [http://x]} shows nothing. Must close on its
   * line.
   */
  private boolean consumeExternalLink() {
    if (startsWithAny(LINK_URL_SCHEMES, pos + 1) == null) {
      return false;
    }
    int close = src.indexOf(']', pos);
    int newline = src.indexOf('\n', pos);
    if (close < 0 || (newline >= 0 && newline < close)) {
      return false;
    }
    String inner = src.substring(pos + 1, close);
    pos = close + 1;
    int space = indexOfWhitespace(inner);
    if (space >= 0) {
      out.append(strip(inner.substring(space + 1).strip()));
    }
    return true;
  }

  /** A URL in running text, up to the next whitespace or markup character. */
  private boolean consumeBareUrl() {
    if (pos > 0 && Character.isLetterOrDigit(src.charAt(pos - 1))) {
      return false;
    }
    String scheme = startsWithAny(BARE_URL_SCHEMES, pos);
    if (scheme == null) {
      return false;
    }
    int end = pos + scheme.length();
    while (end < src.length() && !endsBareUrl(src.charAt(end))) {
      end++;
    }
    pos = end;
    return true;
  }

  private static boolean endsBareUrl(char c) {
    return Character.isWhitespace(c) || "<>[]{}|\"".indexOf(c) >= 0;
  }

  /**
   * {@code ''italic''}, {@code '''bold'''}, {@code '''''both'''''}: any run of two or more
   * apostrophes.
   */
  private boolean consumeQuotes() {
    int end = pos;
    while (end < src.length() && src.charAt(end) == '\'') {
      end++;
    }
    if (end - pos < 2) {
      return false;
    }
    pos = end;
    return true;
  }

  /** A behaviour switch such as {@code __TOC__}, {@code __NOTOC__} or {@code __목차숨김__}. */
  private boolean consumeMagicWord() {
    if (!src.startsWith("__", pos)) {
      return false;
    }
    int end = pos + 2;
    while (end < src.length() && Character.isLetter(src.charAt(end))) {
      end++;
    }
    if (end == pos + 2 || !src.startsWith("__", end)) {
      return false;
    }
    pos = end + 2;
    return true;
  }

  private boolean atLineStart(int index) {
    int i = index - 1;
    while (i >= 0 && (src.charAt(i) == ' ' || src.charAt(i) == '\t')) {
      i--;
    }
    return i < 0 || src.charAt(i) == '\n';
  }

  private int skipBlanks(int index) {
    int i = index;
    while (i < src.length() && (src.charAt(i) == ' ' || src.charAt(i) == '\t')) {
      i++;
    }
    return i;
  }

  private String startsWithAny(List<String> prefixes, int index) {
    for (String prefix : prefixes) {
      if (src.regionMatches(true, index, prefix, 0, prefix.length())) {
        return prefix;
      }
    }
    return null;
  }

  private int indexOfIgnoreCase(String needle, int from) {
    for (int i = from; i <= src.length() - needle.length(); i++) {
      if (src.regionMatches(true, i, needle, 0, needle.length())) {
        return i;
      }
    }
    return -1;
  }

  private static int indexOfWhitespace(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (Character.isWhitespace(text.charAt(i))) {
        return i;
      }
    }
    return -1;
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static boolean isAsciiLetterOrDigit(char c) {
    return isAsciiLetter(c) || (c >= '0' && c <= '9');
  }
}
