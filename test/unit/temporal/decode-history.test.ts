import { defaultPayloadConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { Keyring } from '../../../src/crypto/keyring';
import { decodeHistoryPayloads } from '../../../src/temporal/decode-history';
import { EncryptionCodec } from '../../../src/temporal/payload-codec';

describe('decodeHistoryPayloads', () => {
  it('decrypts every encrypted payload of a history in place and leaves plain ones and search attributes alone', async () => {
    const codec = new EncryptionCodec(Keyring.generate());
    const [input, result, failureAttributes] = await codec.encode([defaultPayloadConverter.toPayload({ fullRelist: true }), defaultPayloadConverter.toPayload({ upserts: 3 }), defaultPayloadConverter.toPayload({ message: 'boom' })]);
    const plain = defaultPayloadConverter.toPayload('recorded before the codec');
    const searchAttribute = defaultPayloadConverter.toPayload('t-1');
    const history = temporal.api.history.v1.History.fromObject({
      events: [
        { eventId: 1, workflowExecutionStartedEventAttributes: { input: { payloads: [input, plain] }, searchAttributes: { indexedFields: { FostrTenantId: searchAttribute } } } },
        { eventId: 2, activityTaskCompletedEventAttributes: { result: { payloads: [result] } } },
        { eventId: 3, activityTaskFailedEventAttributes: { failure: { message: 'Encoded failure', encodedAttributes: failureAttributes } } },
      ],
    });
    expect(await decodeHistoryPayloads(history, codec)).toBe(3);
    const [started, completed, failed] = history.events;
    expect(started!.workflowExecutionStartedEventAttributes!.input!.payloads!.map((payload) => defaultPayloadConverter.fromPayload(payload))).toEqual([{ fullRelist: true }, 'recorded before the codec']);
    expect(defaultPayloadConverter.fromPayload(completed!.activityTaskCompletedEventAttributes!.result!.payloads![0]!)).toEqual({ upserts: 3 });
    expect(defaultPayloadConverter.fromPayload(failed!.activityTaskFailedEventAttributes!.failure!.encodedAttributes!)).toEqual({ message: 'boom' });
    expect(await decodeHistoryPayloads(history, codec)).toBe(0);
  });
});
