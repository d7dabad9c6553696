-- A finding's scope: one item's (the default), the whole site's or a shared page template's. A
-- site or template finding has no item and counts the items it affects (listed in measured).
ALTER TABLE findings ADD COLUMN scope TEXT NOT NULL DEFAULT 'item' CHECK (scope IN ('item', 'site', 'template'));
ALTER TABLE findings ADD COLUMN affected INTEGER NOT NULL DEFAULT 0;
