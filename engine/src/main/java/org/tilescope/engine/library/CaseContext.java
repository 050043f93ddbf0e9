package org.tilescope.engine.library;

/**
 * A slide as one Markdown block for an LLM chat: metadata, tags, notes, annotation names.
 *
 * @param markdown the block
 * @param tokens   its exact token count
 * @param encoding the encoding counted with ("o200k_base")
 */
public record CaseContext(String markdown, int tokens, String encoding) {
}
