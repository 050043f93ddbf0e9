package org.tilescope.engine.slide;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
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
                throw new SlideException(file, "XML with a DOCTYPE is refused (DTDs and entities are not allowed)");
            }
            throw new SlideException(file, "malformed XML at line " + e.getLineNumber() + ": " + msg);
        } catch (SAXException e) {
            throw new SlideException(file, "malformed XML: " + e.getMessage());
        } catch (ParserConfigurationException | IOException e) {
            throw new SlideException(file, "cannot parse XML: " + e.getMessage(), e);
        }
    }
}
