package dev.fusionextract.fusion;

import dev.fusionextract.config.Hosts;

import java.net.URI;
import java.util.Locale;

/**
 * Decides where the bearer token may go: only to the configured Fusion scheme, host and port. Plain http is
 * allowed only when the configured base itself is http on a loopback host (the simulator). Links come from
 * the server, so each is checked before any request carries the token.
 */
final class DownloadLinks {

    private final URI base;

    DownloadLinks(URI base) {
        this.base = base;
    }

    /** Resolves an href (absolute or relative to the Fusion base) and checks it. */
    URI resolve(String href) {
        URI link;
        try {
            link = URI.create(href.trim());
            if (!link.isAbsolute()) {
                link = URI.create(base + (href.startsWith("/") ? "" : "/")).resolve(href.trim());
            }
        } catch (IllegalArgumentException e) {
            throw new RefusedLinkException("Refused a download link that is not a valid URL (" + e.getMessage() + "); report it to Oracle.");
        }
        check(link);
        return link;
    }

    void check(URI link) {
        String scheme = link.getScheme() == null ? "" : link.getScheme().toLowerCase(Locale.ROOT);
        String baseScheme = base.getScheme().toLowerCase(Locale.ROOT);
        if (link.getRawUserInfo() != null) {
            throw refused(link, "it carries user information");
        }
        if (!scheme.equals("https") && !(scheme.equals("http") && baseScheme.equals("http") && Hosts.isLoopback(base.getHost()))) {
            throw refused(link, "it is not https");
        }
        if (!scheme.equals(baseScheme) || link.getHost() == null || !link.getHost().equalsIgnoreCase(base.getHost())
                || port(link) != port(base)) {
            throw refused(link, "it points away from the configured Fusion host " + base.getScheme() + "://" + base.getAuthority());
        }
    }

    private static int port(URI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return "http".equalsIgnoreCase(uri.getScheme()) ? 80 : 443;
    }

    private static RefusedLinkException refused(URI link, String why) {
        String shown = (link.getScheme() == null ? "" : link.getScheme() + "://") + (link.getHost() == null ? "?" : link.getHost())
                + (link.getPort() == -1 ? "" : ":" + link.getPort());
        return new RefusedLinkException("Refused the download link to " + shown + " because " + why
                + "; the bearer token is sent only to FUSION_BASE_URL. If Fusion really serves files elsewhere, report it.");
    }
}
