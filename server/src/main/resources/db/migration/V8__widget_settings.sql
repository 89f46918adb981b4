-- Widget settings of issue 6: the launcher's icon and where the widget's "Talk to a human" button leads
-- (an http(s) or mailto URL; NULL = no such button).
ALTER TABLE agents ADD COLUMN widget_launcher_icon VARCHAR(20) NOT NULL DEFAULT 'chat';
ALTER TABLE agents ADD COLUMN widget_handoff_url VARCHAR(500);
