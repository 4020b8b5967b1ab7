import { loopbackMongoUri, redactMongoUri } from '../../../src/devstack/mongo-probe';

describe('redactMongoUri', () => {
  it('hides the password but keeps the user, hosts and options', () => {
    expect(redactMongoUri('mongodb://fostr:s3cr%40t@db1:27017,db2/app?authSource=admin')).toBe(
      'mongodb://fostr:***@db1:27017,db2/app?authSource=admin',
    );
    expect(redactMongoUri('mongodb+srv://fostr:pw@cluster0.example.net/')).toBe('mongodb+srv://fostr:***@cluster0.example.net/');
  });

  it('leaves URIs without a password alone', () => {
    expect(redactMongoUri('mongodb://127.0.0.1:27017/')).toBe('mongodb://127.0.0.1:27017/');
    expect(redactMongoUri('mongodb://user@host/')).toBe('mongodb://user@host/');
  });
});

describe('loopbackMongoUri', () => {
  it('points at 127.0.0.1', () => {
    expect(loopbackMongoUri(4242)).toBe('mongodb://127.0.0.1:4242/');
  });
});
