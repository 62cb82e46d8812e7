-- Demo flags for bin/run-local, applied after the Flyway migrations.
-- ON CONFLICT DO NOTHING: re-running keeps whatever was edited since.
INSERT INTO feature_flags (environment, flag_key, enabled, rollout_percentage, description) VALUES
    ('development', 'new-checkout',        true,  100, 'Redesigned checkout flow'),
    ('development', 'dark-mode',           true,  100, 'Dark theme for the web app'),
    ('development', 'search-v2',           true,   50, 'New search ranking, half of the users'),
    ('development', 'recommendations',     false, 100, 'Product recommendations on the home page'),
    ('development', 'beta.export-csv',     true,   10, 'CSV export for beta testers'),
    ('production',  'new-checkout',        true,   25, 'Redesigned checkout flow, gradual rollout'),
    ('production',  'dark-mode',           true,  100, 'Dark theme for the web app'),
    ('production',  'search-v2',           false, 100, 'New search ranking, not yet live'),
    ('production',  'recommendations',     true,   75, 'Product recommendations on the home page'),
    ('production',  'maintenance-banner',  false, 100, 'Banner announcing planned maintenance')
ON CONFLICT (environment, flag_key) DO NOTHING;
