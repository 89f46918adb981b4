package io.engage.demo;

import io.engage.common.ApiProblem;
import io.swagger.v3.oas.annotations.Hidden;
import java.nio.charset.StandardCharsets;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
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

    private final boolean enabled;
    private final DemoSeeder seeder;
    private volatile String key;

    DemoPageController(@Value("${engage.demo:false}") boolean enabled, DemoSeeder seeder) {
        this.enabled = enabled;
        this.seeder = seeder;
    }

    @GetMapping("/demo")
    ResponseEntity<String> landing() {
        requireDemo("/demo");
        return html(DemoPages.landing(scriptTag("")));
    }

    @GetMapping("/demo/help")
    ResponseEntity<String> help() {
        requireDemo("/demo/help");
        return html(DemoPages.help(scriptTag(" data-engage-mode=\"qa\" data-engage-target=\"#engage-help\"")));
    }

    /** The embed snippet customers copy, with the demo agent's key. */
    private String scriptTag(String extraAttributes) {
        return "<script src=\"/widget.js\" data-engage-key=\"" + HtmlUtils.htmlEscape(demoKey()) + "\""
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
