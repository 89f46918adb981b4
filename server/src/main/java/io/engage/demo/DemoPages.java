package io.engage.demo;

/**
 * The demo shop's HTML. Plain text blocks with {@code {{placeholders}}} (no template engine for two pages); the only
 * dynamic value, the embed script tag, is built and escaped by {@link DemoPageController}. Layout is fixed-size where
 * it matters (header, hero, cards) so that the page does not shift while the widget loads.
 */
final class DemoPages {

    private DemoPages() {
    }

    private static final String STYLE = """
            *,*::before,*::after{box-sizing:border-box}
            html{-webkit-text-size-adjust:100%}
            body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;
              color:#0f172a;background:#f8fafc;line-height:1.55;min-height:100vh;display:flex;flex-direction:column}
            main{flex:1}
            a{color:#0f766e}
            .wrap{max-width:1080px;margin:0 auto;padding:0 24px}
            header.site{background:#fff;border-bottom:1px solid #e2e8f0;height:64px}
            header.site .wrap{display:flex;align-items:center;justify-content:space-between;height:64px}
            .logo{display:flex;align-items:center;gap:10px;font-weight:700;font-size:20px;color:#0f172a;
              text-decoration:none;letter-spacing:-.01em}
            .logo svg{width:32px;height:32px}
            nav.main a{margin-left:24px;color:#334155;text-decoration:none;font-size:15px}
            nav.main a:hover{color:#0f766e}
            .hero{background:linear-gradient(135deg,#0f766e 0%,#115e59 55%,#134e4a 100%);color:#fff}
            .hero .wrap{display:grid;grid-template-columns:1.2fr 1fr;gap:40px;align-items:center;min-height:380px;
              padding-top:48px;padding-bottom:48px}
            .hero h1{font-size:44px;line-height:1.1;margin:0 0 16px;letter-spacing:-.02em}
            .hero p{font-size:18px;margin:0 0 28px;color:#ccfbf1;max-width:34em}
            .button{display:inline-block;padding:12px 22px;border-radius:8px;background:#fff;color:#0f766e;
              font-weight:600;text-decoration:none}
            .button.ghost{background:transparent;color:#fff;border:1px solid #99f6e4;margin-left:12px}
            .hero-art{display:flex;justify-content:center}
            .hero-art svg{width:100%;max-width:360px;height:auto}
            .perks{display:grid;grid-template-columns:repeat(3,1fr);gap:16px;margin:-28px auto 0;position:relative}
            .perk{background:#fff;border:1px solid #e2e8f0;border-radius:12px;padding:18px 20px;
              box-shadow:0 4px 14px rgba(15,23,42,.06)}
            .perk strong{display:block;font-size:15px}
            .perk span{color:#475569;font-size:14px}
            section.products{padding:56px 0 64px}
            section h2{font-size:28px;margin:0 0 8px;letter-spacing:-.01em}
            .lead{color:#475569;margin:0 0 28px}
            .cards{display:grid;grid-template-columns:repeat(3,1fr);gap:24px}
            .card{background:#fff;border:1px solid #e2e8f0;border-radius:14px;overflow:hidden;display:flex;
              flex-direction:column}
            .card .art{height:160px;display:flex;align-items:center;justify-content:center}
            .card .art svg{width:120px;height:120px}
            .card .art.a{background:#ecfeff}.card .art.b{background:#f0fdfa}.card .art.c{background:#fef9c3}
            .card .body{padding:20px;display:flex;flex-direction:column;flex:1}
            .card h3{margin:0 0 6px;font-size:19px}
            .card p{margin:0 0 16px;color:#475569;font-size:15px;flex:1}
            .price{font-size:22px;font-weight:700;color:#0f172a}
            .price small{font-size:13px;font-weight:400;color:#64748b;margin-left:6px}
            .help{background:#fff;border-top:1px solid #e2e8f0;padding:56px 0}
            .help h1{font-size:34px;margin:0 0 8px;letter-spacing:-.01em}
            #engage-help{min-height:420px;margin-top:24px}
            .topics{display:grid;grid-template-columns:repeat(3,1fr);gap:16px;margin-top:40px}
            .topic{border:1px solid #e2e8f0;border-radius:12px;padding:16px 18px;background:#f8fafc}
            .topic strong{display:block}
            .topic span{color:#475569;font-size:14px}
            footer.site{background:#0f172a;color:#94a3b8;padding:36px 0;font-size:14px}
            footer.site .wrap{display:flex;justify-content:space-between;gap:24px;flex-wrap:wrap}
            footer.site a{color:#cbd5e1}
            @media (max-width:820px){
              .hero .wrap{grid-template-columns:1fr;min-height:0}.hero-art{display:none}
              .hero h1{font-size:34px}.perks,.cards,.topics{grid-template-columns:1fr}
              nav.main a{margin-left:14px}
            }""";

    /** A small quadcopter, drawn inline (no image requests). */
    private static final String DRONE = """
            <svg viewBox="0 0 120 120" aria-hidden="true" focusable="false">
              <g fill="none" stroke="currentColor" stroke-width="6" stroke-linecap="round">
                <path d="M38 38 L82 82 M82 38 L38 82"/>
              </g>
              <g fill="currentColor">
                <ellipse cx="30" cy="30" rx="20" ry="5"/><ellipse cx="90" cy="30" rx="20" ry="5"/>
                <ellipse cx="30" cy="90" rx="20" ry="5"/><ellipse cx="90" cy="90" rx="20" ry="5"/>
                <rect x="44" y="48" width="32" height="24" rx="8"/>
              </g>
              <circle cx="60" cy="60" r="6" fill="#fff"/>
            </svg>""";

    private static final String PAGE = """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{title}}</title>
            <meta name="description" content="Skyhawk camera drones: a demo shop for the Engage chat widget.">
            <link rel="icon" href="data:,">
            <style>
            {{style}}
            </style>
            </head>
            <body>
            <header class="site">
              <div class="wrap">
                <a class="logo" href="/demo"><span style="color:#0f766e">{{drone}}</span>Skyhawk</a>
                <nav class="main" aria-label="Main">
                  <a href="/demo#drones">Drones</a>
                  <a href="/demo#drones">Accessories</a>
                  <a href="/demo/help">Help center</a>
                </nav>
              </div>
            </header>
            <main>
            {{main}}
            </main>
            <footer class="site">
              <div class="wrap">
                <div><strong style="color:#fff">Skyhawk</strong> · Camera drones since 2019 · A fictional shop for the
                  Engage demo</div>
                <div><a href="/demo/help">Help center</a> · Shipping · Returns · Warranty</div>
              </div>
            </footer>
            {{script}}
            </body>
            </html>
            """;

    private static final String LANDING = """
            <section class="hero">
              <div class="wrap">
                <div>
                  <h1>See the world from above.</h1>
                  <p>Foldable 4K camera drones under 250 grams: no registration needed in most countries, up to 34
                    minutes of flight, and a two-year warranty.</p>
                  <a class="button" href="#drones">Shop drones</a><a class="button ghost" href="/demo/help">Get help</a>
                </div>
                <div class="hero-art" style="color:#ccfbf1">{{drone}}</div>
              </div>
            </section>
            <div class="wrap">
              <div class="perks">
                <div class="perk"><strong>Free shipping over 100 euros</strong><span>Ships within one business day</span></div>
                <div class="perk"><strong>30-day returns</strong><span>Full refund, free return label</span></div>
                <div class="perk"><strong>Two-year warranty</strong><span>Crash cover with Skyhawk Care</span></div>
              </div>
            </div>
            <section class="products" id="drones">
              <div class="wrap">
                <h2>Our drones</h2>
                <p class="lead">Questions? Ask the Skyhawk assistant in the corner: it answers from our product pages
                  and FAQ.</p>
                <div class="cards">
                  <article class="card">
                    <div class="art a" style="color:#0e7490">{{drone}}</div>
                    <div class="body">
                      <h3>Skyhawk Mini 2</h3>
                      <p>Our entry-level drone for beginners: 2.7K video, 25 minutes of flight and automatic
                        return-to-home when the battery runs low.</p>
                      <div class="price">299 €</div>
                    </div>
                  </article>
                  <article class="card">
                    <div class="art b" style="color:#0f766e">{{drone}}</div>
                    <div class="body">
                      <h3>Skyhawk DS-3</h3>
                      <p>Foldable, 249 grams, 4K video at 60 frames per second and 48-megapixel photos. Up to 34
                        minutes per battery; two batteries, charger and case included.</p>
                      <div class="price">499 €</div>
                    </div>
                  </article>
                  <article class="card">
                    <div class="art c" style="color:#a16207">{{drone}}</div>
                    <div class="body">
                      <h3>DS-3 Fly More bundle</h3>
                      <p>The DS-3 with three batteries and a charging hub, for long days out. Spare batteries cost
                        59 euros each.</p>
                      <div class="price">649 €<small>bundle</small></div>
                    </div>
                  </article>
                </div>
              </div>
            </section>""";

    private static final String HELP = """
            <section class="help">
              <div class="wrap">
                <h1>Help center</h1>
                <p class="lead">Search our answers on shipping, returns, warranty and our drones. Can't find it? Ask
                  the assistant or talk to our team.</p>
                <div id="engage-help"></div>
                <div class="topics">
                  <div class="topic"><strong>Shipping</strong><span>2 to 4 business days in the EU</span></div>
                  <div class="topic"><strong>Returns</strong><span>30 days, free return label</span></div>
                  <div class="topic"><strong>Support hours</strong><span>Mon to Fri 8:00 to 20:00 CET</span></div>
                </div>
              </div>
            </section>""";

    static String landing(String scriptTag) {
        return page("Skyhawk: camera drones", LANDING, scriptTag);
    }

    static String help(String scriptTag) {
        return page("Help center · Skyhawk", HELP, scriptTag);
    }

    private static String page(String title, String main, String scriptTag) {
        // the script tag goes in last: nothing after it can be mistaken for a placeholder
        return PAGE.replace("{{title}}", title).replace("{{style}}", STYLE)
                .replace("{{main}}", main.replace("{{drone}}", DRONE)).replace("{{drone}}", DRONE)
                .replace("{{script}}", scriptTag);
    }
}
