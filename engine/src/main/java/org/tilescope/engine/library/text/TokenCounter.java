package org.tilescope.engine.library.text;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;

/** Exact BPE token counts with JTokkit's o200k_base (the GPT-4o family's encoding). */
public final class TokenCounter {
    public static final String ENCODING = "o200k_base";

    private TokenCounter() {
    }

    /** Loaded on first use: the vocabulary takes a few hundred milliseconds to build. */
    private static final class Holder {
        static final Encoding O200K = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
    }

    /**
     * Tokens of the text. Special-token strings in a note ("&lt;|endoftext|&gt;") count as
     * ordinary text, as a chat would treat pasted text.
     */
    public static int count(String text) {
        return Holder.O200K.countTokensOrdinary(text);
    }
}
