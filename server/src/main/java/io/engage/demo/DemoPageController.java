package io.engage.demo;

import io.engage.common.ApiProblem;
import io.swagger.v3.oas.annotations.Hidden;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

/**
 * {@code /demo} and {@code /demo/help} with ENGAGE_DEMO=true: the landing page and help center of the fictional drone
 * shop Skyhawk, with the demo agent's widget embedded exactly as a customer would embed it. Self-contained HTML (no
 * inline script, inline CSS only), served with a strict CSP that still lets the widget load from this server, call
 * the agent API here and style its Shadow DOM. Prices match the demo knowledge, so the widget's answers agree with
 * the page. Without the demo the paths are 404, like any unknown path.
 */
@RestController
@Hidden
class DemoPageController {

    static final String CSP = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            + "script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    private static final Pattern WIDGET_KEY = Pattern.compile("ek_[A-Za-z0-9_-]{8,100}");

    private final boolean enabled;
    private final DemoSeeder seeder;
    private volatile String key;

    DemoPageController(@Value("${engage.demo:false}") boolean enabled, DemoSeeder seeder) {
        this.enabled = enabled;
        this.seeder = seeder;
    }

    /**
     * {@code ?key=} puts another agent's widget on the page: a company can try the snippet it just copied on a
     * real page before embedding it. Widget keys are public by design (they sit in every embedding page); the
     * agent's origin rules still apply, and this server's own origin is allowed for drafts, as for previews.
     */
    @GetMapping("/demo")
    ResponseEntity<String> landing(@RequestParam(required = false) String key) {
        requireDemo("/demo");
        return html(DemoPages.landing(scriptTag(key, "")));
    }

    @GetMapping("/demo/help")
    ResponseEntity<String> help(@RequestParam(required = false) String key) {
        requireDemo("/demo/help");
        return html(DemoPages.help(scriptTag(key, " data-engage-mode=\"qa\" data-engage-target=\"#engage-help\"")));
    }

    /** The embed snippet customers copy, with the demo agent's key or the one asked for. */
    private String scriptTag(String key, String extraAttributes) {
        if (key != null && !key.isBlank() && !WIDGET_KEY.matcher(key).matches()) {
            throw ApiProblem.badRequest("Invalid key", "key must be a widget key (ek_ followed by letters, digits, "
                    + "- or _)");
        }
        String shown = key == null || key.isBlank() ? demoKey() : key;
        return "<script src=\"/widget.js\" data-engage-key=\"" + HtmlUtils.htmlEscape(shown) + "\""
                + extraAttributes + " async></script>";
    }

    private void requireDemo(String path) {
        if (!enabled) {
            throw ApiProblem.notFound("Page", path);
        }
    }

    private String demoKey() {
        String current = key;
        if (current == null) {
            current = seeder.demoKey();
            key = current;
        }
        return current;
    }

    private static ResponseEntity<String> html(String page) {
        return ResponseEntity.ok()
                .contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
                .cacheControl(CacheControl.noStore())
                .header("Content-Security-Policy", CSP)
                .body(page);
    }
}
