"""Menu services: compose (draft), release (publish, select, push, close) and the enterprise's inbox."""
