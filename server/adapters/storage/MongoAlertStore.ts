/** Alerts in MongoDB: rules, states and history in a collection each; history by its time-sorted id. */
import type { Collection, Db } from 'mongodb';
import type { AlertRule } from '../../alerts/rules';
import type { AlertState } from '../../alerts/transitions';
import type { AlertEvent, AlertStore } from './AlertStore';

type RuleDoc = Omit<AlertRule, 'id'> & { _id: string };
type StateDoc = Omit<AlertState, 'ruleId'> & { _id: string };
type EventDoc = Omit<AlertEvent, 'id'> & { _id: string };
const DURABLE = { writeConcern: { w: 'majority' as const, j: true } };
const SEEDED_ID = 'alert-rules-seeded';

export class MongoAlertStore implements AlertStore {
  private rules!: Collection<RuleDoc>;
  private states!: Collection<StateDoc>;
  private events!: Collection<EventDoc>;
  private marks!: Collection<{ _id: string; at: string }>;

  constructor(private readonly db: () => Db) {}

  async open(): Promise<void> {
    this.rules = this.db().collection('alert_rules');
    this.states = this.db().collection('alert_states');
    this.events = this.db().collection('alert_events');
    this.marks = this.db().collection('alert_marks');
    await this.events.createIndex({ 'delivery.state': 1, _id: 1 });
  }

  async listRules(): Promise<AlertRule[]> {
    return (await this.rules.find().sort({ _id: 1 }).toArray()).map(({ _id, ...r }) => ({ id: _id, ...r }) as AlertRule);
  }

  async putRule({ id, ...rest }: AlertRule): Promise<void> {
    await this.rules.replaceOne({ _id: id }, rest, { upsert: true, ...DURABLE });
  }

  async deleteRule(id: string): Promise<boolean> {
    const gone = (await this.rules.deleteOne({ _id: id }, DURABLE)).deletedCount === 1;
    await this.states.deleteOne({ _id: id }, DURABLE);
    return gone;
  }

  async seedRules(rules: readonly AlertRule[]): Promise<boolean> {
    // the mark's id is unique: of two servers starting at once, one inserts it and seeds
    const marked = await this.marks.insertOne({ _id: SEEDED_ID, at: new Date().toISOString() }, DURABLE).then(
      () => true,
      (err: { code?: number }) => {
        if (err.code === 11000) return false;
        throw err;
      },
    );
    if (marked && rules.length) await this.rules.insertMany(rules.map(({ id, ...rest }) => ({ _id: id, ...rest })), DURABLE);
    return marked;
  }

  async listStates(): Promise<AlertState[]> {
    return (await this.states.find().toArray()).map(({ _id, ...s }) => ({ ruleId: _id, ...s }) as AlertState);
  }

  async saveRound(states: readonly AlertState[], events: readonly AlertEvent[]): Promise<void> {
    if (events.length) await this.events.bulkWrite(events.map(({ id, ...rest }) => ({ replaceOne: { filter: { _id: id }, replacement: rest, upsert: true } })), DURABLE);
    if (states.length) await this.states.bulkWrite(states.map(({ ruleId, ...rest }) => ({ replaceOne: { filter: { _id: ruleId }, replacement: rest, upsert: true } })), DURABLE);
  }

  async putEvent({ id, ...rest }: AlertEvent): Promise<void> {
    await this.events.replaceOne({ _id: id }, rest, { upsert: true, ...DURABLE });
  }

  async recentEvents(limit: number): Promise<AlertEvent[]> {
    return (await this.events.find().sort({ _id: -1 }).limit(limit).toArray()).map(toEvent);
  }

  async pendingDeliveries(limit: number): Promise<AlertEvent[]> {
    return (await this.events.find({ 'delivery.state': 'pending' }).sort({ _id: 1 }).limit(limit).toArray()).map(toEvent);
  }

  async pruneEvents(before: string, limit: number): Promise<number> {
    const old = await this.events.find({ at: { $lt: before } }, { projection: { _id: 1 } }).sort({ _id: 1 }).limit(limit).toArray();
    if (!old.length) return 0;
    return (await this.events.deleteMany({ _id: { $in: old.map((o) => o._id) } }, DURABLE)).deletedCount;
  }
}

const toEvent = ({ _id, ...rest }: EventDoc) => ({ id: _id, ...rest }) as AlertEvent;
