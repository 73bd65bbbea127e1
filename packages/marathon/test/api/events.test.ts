import { expect } from 'chai';
import { FakeClock } from '@mesocosm/framework-sdk';
import type { MarathonHttp } from '../../src/api/index.js';
import type { FakeMarathonService } from './fake-service.js';
import { call, readEvents, startFake, waitFor } from './helpers.js';

describe('api: /v2/events', () => {
  let fake: FakeMarathonService;
  let http: MarathonHttp;
  let base: string;
  let clock: FakeClock;

  beforeEach(async () => {
    clock = new FakeClock(0);
    ({ fake, http } = await startFake({ clock }));
    base = http.url;
  });
  afterEach(() => http.close());

  it('streams events with id, event type and Marathon JSON', async () => {
    const reader = await readEvents(base, '/v2/events');
    expect(reader.status).to.equal(200);
    expect(reader.headers['content-type']).to.equal('text/event-stream');
    fake.emit('status_update_event', { appId: '/web', taskId: 't1', taskStatus: 'TASK_RUNNING' });
    fake.emit('deployment_success', { id: 'd-1' });
    await waitFor('two events', () => reader.frames.length === 2);
    expect(reader.frames[0]).to.deep.equal({
      id: '1',
      event: 'status_update_event',
      data: {
        appId: '/web',
        taskId: 't1',
        taskStatus: 'TASK_RUNNING',
        eventType: 'status_update_event',
        timestamp: '2026-01-01T00:00:00.000Z',
      },
    });
    expect(reader.frames[1]?.id).to.equal('2');
    reader.close();
    await waitFor('the subscription to close with the client', () => fake.subscriptions.size === 0);
  });

  it('filters by event_type (repeatable)', async () => {
    const reader = await readEvents(base, '/v2/events?event_type=deployment_success&event_type=deployment_failed');
    expect(fake.callsOf('subscribe')[0]).to.deep.equal([{ eventTypes: ['deployment_success', 'deployment_failed'] }]);
    fake.emit('status_update_event');
    fake.emit('deployment_failed');
    fake.emit('api_post_event');
    fake.emit('deployment_success');
    await waitFor('two deployment events', () => reader.frames.length === 2);
    expect(reader.frames.map((f) => f.event)).to.deep.equal(['deployment_failed', 'deployment_success']);
    reader.close();
  });

  it('resumes after Last-Event-ID (header or query) with only later events', async () => {
    fake.emit('a');
    fake.emit('b');
    fake.emit('c');
    const byHeader = await readEvents(base, '/v2/events', { 'last-event-id': '1' });
    await waitFor('the replay', () => byHeader.frames.length === 2);
    expect(byHeader.frames.map((f) => f.id)).to.deep.equal(['2', '3']);
    const byQuery = await readEvents(base, '/v2/events?lastEventId=2');
    fake.emit('d');
    await waitFor('the replay and the new event', () => byQuery.frames.length === 2);
    expect(byQuery.frames.map((f) => f.event)).to.deep.equal(['c', 'd']);
    byHeader.close();
    byQuery.close();
    const bad = await call(base, 'GET', '/v2/events?lastEventId=yesterday');
    expect(bad.status).to.equal(400);
  });

  it('sends a comment heartbeat every 15 s of the clock', async () => {
    const reader = await readEvents(base, '/v2/events');
    clock.advance(14_999);
    clock.advance(1);
    await waitFor('a heartbeat', () => reader.comments.length === 1);
    clock.advance(15_000);
    await waitFor('a second heartbeat', () => reader.comments.length === 2);
    expect(reader.comments).to.deep.equal(['heartbeat', 'heartbeat']);
    reader.close();
  });

  it('ends every stream when leadership is lost', async () => {
    const one = await readEvents(base, '/v2/events');
    const two = await readEvents(base, '/v2/events?event_type=x');
    fake.loseLeadership('http://127.0.0.1:1');
    await waitFor('both streams to end', () => one.ended && two.ended);
    expect(fake.subscriptions.size).to.equal(0);
  });
});
