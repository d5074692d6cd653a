import { describe, expect, it } from "vitest";
import { EventQueue } from "./event-queue.js";

async function drain<T>(queue: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of queue) items.push(item);
  return items;
}

describe("EventQueue", () => {
  it("hands items to a waiting consumer in order, then ends on close", async () => {
    const queue = new EventQueue<number>();
    const reading = drain(queue);
    for (let i = 0; i < 5; i++) queue.push(i);
    queue.close();
    queue.push(99);
    expect(await reading).toEqual([0, 1, 2, 3, 4]);
  });

  it("buffers for a late consumer and stays compact after many reads", async () => {
    const queue = new EventQueue<number>();
    for (let i = 0; i < 5000; i++) queue.push(i);
    queue.close();
    const items = await drain(queue);
    expect(items).toHaveLength(5000);
    expect(items[4999]).toBe(4999);
    expect(queue.size).toBe(0);
  });

  it("replaces a superseded unread item instead of appending", async () => {
    const queue = new EventQueue<string>((queued, incoming) => queued.startsWith("~") && incoming.startsWith("~"));
    queue.push("~a");
    queue.push("~b");
    queue.push("final");
    queue.push("~c");
    queue.push("~d");
    queue.close();
    expect(await drain(queue)).toEqual(["~b", "final", "~d"]);
  });

  it("stops buffering when the consumer breaks out of its loop", async () => {
    const queue = new EventQueue<number>();
    queue.push(1);
    queue.push(2);
    for await (const item of queue) {
      expect(item).toBe(1);
      break;
    }
    queue.push(3);
    expect(queue.size).toBe(0);
    expect(queue.closed).toBe(true);
  });

  it("ends a consumer already waiting on an empty queue when it closes", async () => {
    const queue = new EventQueue<number>();
    const reading = drain(queue);
    // The consumer is parked on next() before close(): it must get `done`, not an undefined item.
    await Promise.resolve();
    queue.close();
    expect(await reading).toEqual([]);
  });

  it("answers return() as an iterator must: done, with no value", async () => {
    const queue = new EventQueue<number>();
    queue.push(1);
    const iterator = queue[Symbol.asyncIterator]();
    expect(await iterator.return?.()).toEqual({ value: undefined, done: true });
    expect(await iterator.next()).toEqual({ value: undefined, done: true });
  });

  it("serves one consumer: a second iterator is already done", async () => {
    const queue = new EventQueue<number>();
    queue.push(1);
    queue[Symbol.asyncIterator]();
    const second = queue[Symbol.asyncIterator]();
    expect(await second.next()).toEqual({ value: undefined, done: true });
  });
});
