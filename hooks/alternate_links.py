"""Drop the per-page hreflang links from each page's head.

mkdocs-static-i18n 1.3.1 points every `<link rel="alternate" hreflang>` at
the same page in the other language, and Material 9.8.2 fetches
`sitemap.xml` relative to each such link, so every page logged two 404
errors in the browser console. The language selector keeps its own links,
and sitemap.xml lists the same hreflang pairs for search engines.
"""

import re

HREFLANG_LINK = re.compile(r'[ \t]*<link rel="alternate" href="[^"]*" hreflang="[^"]*">\n?')


def on_post_page(output, page, config):
    head_end = output.find("</head>")
    if head_end < 0:
        return output
    head = HREFLANG_LINK.sub("", output[:head_end])
    return head + output[head_end:]


def on_post_template(output_content, template_name, config):
    # 404.html is rendered as a static template, not as a page.
    return on_post_page(output_content, None, config)
