package org.minibert.trainer.corpus;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Streams the articles of a MediaWiki export ({@code kowiki-latest-pages-articles.xml[.bz2]}): one
 * document per page of the main namespace, in dump order, with its wikitext cleaned by {@link
 * WikitextCleaner} and split by {@link SentenceSplitter}. Redirects, other namespaces and pages
 * with no prose left are skipped and counted.
 *
 * <p>The dump is several gigabytes, so it is read with StAX one page at a time: memory holds the
 * current page and nothing else; cleaning and splitting a page can run on another thread ({@link
 * #readPending}). A {@code .bz2} file is decompressed on the fly, with concatenated streams,
 * because Wikimedia's multistream dumps are many bzip2 streams back to back ({@link Bzip2Input}).
 * The XML parser accepts no DTD and so no entity but the five predefined ones and character
 * references; a text or tag over {@code --max-record-chars} or nesting deeper than {@link
 * RecordLimits#MAX_XML_DEPTH} stops the read ({@link RecordLimits}).
 */
public final class WikiDumpReader implements DocumentReader {
  private static final int MAIN_NAMESPACE = 0;
  private static final List<String> REDIRECT_MARKERS = List.of("#redirect", "#넘겨주기");

  private final WikitextCleaner cleaner = new WikitextCleaner();
  private final SentenceSplitter splitter = new SentenceSplitter();

  /** One {@code <page>} as far as it has been read. */
  private static final class Page {
    String title = "";
    int namespace = -1;
    boolean redirect;
    String text = "";
  }

  @Override
  public void read(Path file, Consumer<Document> sink, CorpusStats stats, int maxRecordChars)
      throws IOException {
    DocumentReader.readResolvingEach(this, file, sink, stats, maxRecordChars);
  }

  /**
   * Parses the XML on the calling thread and hands on each page with its cleaning and splitting
   * still to do.
   */
  @Override
  public void readPending(
      Path file, Consumer<PendingDocument> sink, CorpusStats stats, int maxRecordChars, int threads)
      throws IOException {
    Page page = new Page();
    try (Reader reader =
        new RecordLimits.XmlRunLimit(
            new CountingUtf8Reader(CorpusFiles.open(file, stats, threads), stats),
            file,
            maxRecordChars)) {
      XMLStreamReader xml = newXmlInputFactory().createXMLStreamReader(reader);
      try {
        while (xml.hasNext()) {
          if (xml.next() == XMLStreamConstants.START_ELEMENT) {
            switch (xml.getLocalName()) {
              case "page" -> page = new Page();
              case "title" -> page.title = xml.getElementText();
              case "ns" -> page.namespace = parseNamespace(xml.getElementText());
              case "redirect" -> page.redirect = true;
              case "text" -> page.text = xml.getElementText();
              default -> {}
            }
          } else if (xml.isEndElement() && xml.getLocalName().equals("page")) {
            Page done = page;
            sink.accept(() -> toDocument(file, done));
          }
        }
      } finally {
        xml.close();
      }
    } catch (XMLStreamException e) {
      throw malformed(file, page.title, e);
    }
  }

  /** The page's cleaned sentences as a document, or null when it is no article or has no prose. */
  private Document toDocument(Path file, Page page) {
    List<String> sentences =
        isArticle(page) ? splitter.splitParagraphs(cleaner.clean(page.text)) : List.of();
    return sentences.isEmpty()
        ? null
        : new Document(Locations.page(file, page.title), page.title, sentences);
  }

  private static boolean isArticle(Page page) {
    if (page.namespace != MAIN_NAMESPACE || page.redirect) {
      return false;
    }
    String text = page.text;
    int first = 0;
    while (first < text.length() && Character.isWhitespace(text.charAt(first))) {
      first++;
    }
    String start =
        text.substring(first, Math.min(text.length(), first + 16)).toLowerCase(Locale.ROOT);
    return REDIRECT_MARKERS.stream().noneMatch(start::startsWith);
  }

  private static int parseNamespace(String text) {
    try {
      return Integer.parseInt(text.strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * The JDK's own StAX parser, without DTDs or external entities. With no DTD there are no custom
   * entities to expand, so the JDK's limit on the accumulated size of entities, which a
   * multi-gigabyte dump full of {@code &quot;} would otherwise exceed, can be lifted safely.
   */
  private static XMLInputFactory newXmlInputFactory() {
    XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    factory.setProperty("jdk.xml.totalEntitySizeLimit", 0);
    factory.setProperty("jdk.xml.maxElementDepth", RecordLimits.MAX_XML_DEPTH);
    return factory;
  }

  private static CorpusException malformed(Path file, String lastTitle, XMLStreamException e) {
    String where = lastTitle.isEmpty() ? file.toString() : Locations.page(file, lastTitle);
    if (e.getLocation() != null) {
      where += " line " + e.getLocation().getLineNumber();
    }
    return new CorpusException(where + ": malformed XML: " + parserMessage(e), e);
  }

  /** The JDK prefixes its message with "ParseError at [row,col]:[r,c]" and a line break. */
  private static String parserMessage(XMLStreamException e) {
    String message = String.valueOf(e.getMessage());
    int marker = message.indexOf("Message: ");
    return Whitespace.collapse(
        marker < 0 ? message : message.substring(marker + "Message: ".length()));
  }
}
