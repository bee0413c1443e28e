"""One builder per source system: `build(ctx) -> {raw table: Batch}` for a chunk of persons.

Builders only write clean, realistic rows with their truth; defects, ordering and files are
common (`cdp.generate.run`). Each builder draws from its own random streams, so adding or
changing one source never changes another's output.
"""

from cdp.generate.sources import app, billing, consent, crm, esp, helpdesk, shop, web

BUILDERS = (crm.build, web.build, app.build, shop.build, esp.build, helpdesk.build,
            billing.build, consent.build)
