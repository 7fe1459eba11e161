-- One database per edition (each edition migrates its own at start-up). Runs once, on an empty volume.
CREATE DATABASE api_studio OWNER addons;
CREATE DATABASE universal_webhook OWNER addons;
CREATE DATABASE clockify_addon OWNER addons;
