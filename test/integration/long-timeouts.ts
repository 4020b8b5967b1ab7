// Integration tests drive whole sync cycles on real servers; jest's 5 s default is for unit tests.
jest.setTimeout(600_000);
