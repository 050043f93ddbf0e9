package org.tilescope.engine.library.store;

import java.util.List;

/**
 * What the user gave a slide: tags and a typed note. Kept apart from the scanned metadata so a
 * rescan never touches it, and kept when the slide is gone (it comes back with the file).
 *
 * @param tags sorted, lower-case, no duplicates
 * @param note the typed note, "" when none
 */
public record UserData(List<String> tags, String note) {
    public static final UserData EMPTY = new UserData(List.of(), "");

    public UserData {
        tags = tags == null ? List.of() : List.copyOf(tags);
        note = note == null ? "" : note;
    }

    public boolean isEmpty() {
        return tags.isEmpty() && note.isEmpty();
    }
}
