"""Configuration parsing: defaults, validation and dependency endpoints."""

import unittest

from app.config import ConfigError, endpoint_of, load


class LoadTests(unittest.TestCase):
    def test_defaults_when_environment_is_empty(self):
        config = load({})
        self.assertEqual(config.port, 3000)
        self.assertEqual(config.log_level, "info")
        self.assertEqual(config.dependencies(), {})

    def test_reads_every_variable(self):
        config = load(
            {
                "PORT": "8080",
                "LOG_LEVEL": "DEBUG",
                "API_URL": "https://api.example.com",
                "DATABASE_URL": "postgres://app:pw@db:5433/myapp",
                "REDIS_URL": "redis://cache",
            }
        )
        self.assertEqual(config.port, 8080)
        self.assertEqual(config.log_level, "debug")
        self.assertEqual(config.api_url, "https://api.example.com")
        self.assertEqual(config.dependencies(), {"database": ("db", 5433), "redis": ("cache", 6379)})

    def test_rejects_a_port_that_is_not_a_number(self):
        with self.assertRaisesRegex(ConfigError, "PORT must be an integer"):
            load({"PORT": "http"})

    def test_rejects_a_port_out_of_range(self):
        with self.assertRaisesRegex(ConfigError, "between 0 and 65535"):
            load({"PORT": "70000"})

    def test_rejects_an_unknown_log_level(self):
        with self.assertRaisesRegex(ConfigError, "LOG_LEVEL"):
            load({"LOG_LEVEL": "loud"})

    def test_rejects_a_database_url_without_host(self):
        with self.assertRaisesRegex(ConfigError, "no host"):
            load({"DATABASE_URL": "postgres:///myapp"})

    def test_error_does_not_echo_credentials(self):
        with self.assertRaises(ConfigError) as caught:
            endpoint_of("postgres://user:s3cret@db:notaport/x", 5432)
        self.assertNotIn("s3cret", str(caught.exception))


if __name__ == "__main__":
    unittest.main()
