/** A small fake Confluent Schema Registry: register by subject, fetch by id, scripted outages. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export class FakeRegistry {
  private readonly ids = new Map<string, number>();
  private readonly schemas = new Map<number, string>();
  private server: Server | undefined;
  /** The next `failNext` GETs answer 503. */
  failNext = 0;
  getRequests = 0;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Registers a schema directly (e.g. an unrelated one) and returns its id. */
  add(schemaText: string): number {
    const known = this.ids.get(schemaText);
    if (known !== undefined) return known;
    const id = this.schemas.size + 1;
    this.ids.set(schemaText, id);
    this.schemas.set(id, schemaText);
    return id;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const send = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/vnd.schemaregistry.v1+json' });
      res.end(JSON.stringify(body));
    };
    const url = req.url ?? '';
    const byId = /^\/schemas\/ids\/(\d+)$/.exec(url);
    if (req.method === 'GET' && byId) {
      this.getRequests += 1;
      if (this.failNext > 0) {
        this.failNext -= 1;
        return send(503, { error_code: 50003, message: 'unavailable' });
      }
      const schema = this.schemas.get(Number(byId[1]));
      return schema === undefined ? send(404, { error_code: 40403, message: 'Schema not found' }) : send(200, { schema });
    }
    if (req.method === 'POST' && /^\/subjects\/[^/]+\/versions$/.test(url)) {
      let text = '';
      for await (const chunk of req) text += String(chunk);
      const body = JSON.parse(text) as { schema: string };
      return send(200, { id: this.add(body.schema) });
    }
    send(404, { error_code: 404, message: 'not found' });
  }
}
