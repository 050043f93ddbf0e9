package org.tilescope.engine.slide;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.function.BiFunction;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/** XML parsing with DTDs, external entities and XInclude off: a descriptor cannot reach out. */
public final class SafeXml {
    private SafeXml() {
    }

    public static Document parse(Path file, byte[] xml) throws SlideException {
        return parse(xml, (problem, cause) -> new SlideException(file, problem, cause));
    }

    /** {@link #parse(Path, byte[])} for a document fetched from a URL. */
    public static Document parse(URI location, byte[] xml) throws SlideException {
        return parse(xml, (problem, cause) -> new SlideException(location, problem, cause));
    }

    private static Document parse(byte[] xml, BiFunction<String, Throwable, SlideException> problem) throws SlideException {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(null);
            b.setEntityResolver((publicId, systemId) -> {
                throw new SAXException("external entity refused: " + systemId);
            });
            return b.parse(new ByteArrayInputStream(xml));
        } catch (SAXParseException e) {
            String msg = e.getMessage() == null ? "parse error" : e.getMessage();
            if (msg.contains("DOCTYPE")) {
                throw problem.apply("XML with a DOCTYPE is refused (DTDs and entities are not allowed)", null);
            }
            throw problem.apply("malformed XML at line " + e.getLineNumber() + ": " + msg, null);
        } catch (SAXException e) {
            throw problem.apply("malformed XML: " + e.getMessage(), null);
        } catch (ParserConfigurationException | IOException e) {
            throw problem.apply("cannot parse XML: " + e.getMessage(), e);
        }
    }
}
