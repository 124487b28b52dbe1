import type { INestApplication } from '@nestjs/common';
import request, { type Response } from 'supertest';
import type { DataSource } from 'typeorm';
import { type CaughtMail, type MailCatcher, startMailCatcher } from '../../scripts/mail-catcher';
import { uniqueAccount } from '../support/factories';
import { eventually, lockWaiters, testDatabase } from '../support/infra';
import { closedPort } from '../terminal/support/terminal-gateway';
import {
  lastCode,
  type Resident,
  seedCharges,
  signUp,
  startCabinet,
  TestClock,
  uniqueEmail,
  uniqueIp,
  uniquePhone,
} from './cabinet-support';

/** Each step of the story a minute after the previous one, so the links have an order. */
const STEP_MS = 60 * 1000;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

/** Finding 10 of the security review: a link to an account others hold is never silent. */
describe('cabinet-api: residents told of a new link to their account, and revoking it', () => {
  const clock = new TestClock();
  let mail: MailCatcher;
  let db: DataSource;
  let app: INestApplication;
  const http = () => request(app.getHttpServer());
  const shared = uniqueAccount();
  const sharedDocument = { accountNumber: shared, period: '2026-10', amountCharged: '4598.70' };
  let alice: Resident;
  let mallory: Resident;
  let malloryLinkId: string;

  const mailTo = (email: string): CaughtMail[] => mail.messages.filter((m) => m.to.includes(email));
  const linkNotices = (email: string) =>
    mailTo(email).filter((m) => m.subject.includes('подключился ещё один пользователь'));
  // Each request from an address of its own: the run's database counts document checks per
  // address, and the browser suites' cabinet, which keeps the default limit, comes from 127.0.0.1.
  const linkShared = (who: Resident) =>
    http()
      .post('/v1/cabinet/accounts')
      .set(who.auth)
      .set('X-Forwarded-For', uniqueIp())
      .send(sharedDocument);
  const linksSeenBy = async (who: Resident, accountNumber = shared) =>
    (await http().get(`/v1/cabinet/accounts/${accountNumber}/links`).set(who.auth).expect(200))
      .body;
  /** The id of the one link to the account that is not the holder's own. */
  const newLinkSeenBy = async (holder: Resident, accountNumber: string) => {
    const { links } = await linksSeenBy(holder, accountNumber);
    expect(links).toHaveLength(2);
    return links.find((l: { yours: boolean }) => !l.yours).linkId as string;
  };
  /** An account of its own for a test, with one payment document imported. */
  const chargedAccount = async () => {
    const document = { accountNumber: uniqueAccount(), period: '2026-10', amountCharged: '100.00' };
    await seedCharges(db, [document]);
    return document;
  };

  /** Waits until a backend of this run's database waits for a lock in a statement like `pattern`. */
  const untilWaiting = (pattern: string) =>
    eventually(
      () => lockWaiters(db, pattern),
      (n) => n >= 1,
      20000,
      20,
    );
  const linkAccount = (who: Resident, document: object) =>
    http()
      .post('/v1/cabinet/accounts')
      .set(who.auth)
      .set('X-Forwarded-For', uniqueIp())
      .send(document);
  /** A request, sent when called, making the resident's link to the account again. */
  const makingLinkAgain = async (
    via: 'linking' | 'registering',
    who: Resident,
    document: object,
  ): Promise<() => Promise<Response>> => {
    if (via === 'linking') return () => linkAccount(who, document).then((answer) => answer);
    clock.advance(STEP_MS); // the address may be sent a code a minute after the last
    const created = await http()
      .post('/v1/cabinet/registrations')
      .set('X-Forwarded-For', uniqueIp())
      .send({ ...document, email: who.email, phone: who.phone })
      .expect(202);
    const code = lastCode(mail, who.email);
    return () =>
      http()
        .post(`/v1/cabinet/registrations/${created.body.registrationId}/confirm`)
        .set('X-Forwarded-For', uniqueIp())
        .send({ code })
        .then((answer) => answer);
  };

  beforeAll(async () => {
    mail = await startMailCatcher();
    db = await testDatabase();
    app = await startCabinet(clock, mail.url, {
      // Every check of this account's document counts, and this suite makes many on purpose.
      CABINET_CHECK_FAILURES_PER_ACCOUNT: '1000',
      CABINET_CHECK_FAILURES_PER_IP: '1000',
      CABINET_LINK_CHECKS_PER_RESIDENT: '1000',
    });
    const own = uniqueAccount();
    await seedCharges(db, [
      sharedDocument,
      { accountNumber: own, period: '2026-10', amountCharged: '100.00' },
    ]);
    alice = await signUp(app, mail, sharedDocument);
    clock.advance(STEP_MS);
    mallory = await signUp(app, mail, {
      accountNumber: own,
      period: '2026-10',
      amountCharged: '100.00',
    });
    clock.advance(STEP_MS);
  });

  afterAll(async () => {
    await app?.close();
    await mail?.close();
    await db?.destroy();
  });

  it('mails nobody when the first resident of an account registers', () => {
    expect(linkNotices(alice.email)).toHaveLength(0);
    expect(linkNotices(mallory.email)).toHaveLength(0);
  });

  it('mails the existing resident when another links the account, naming the link', async () => {
    await linkShared(mallory).expect(201);

    const [notice] = linkNotices(alice.email);
    expect(notice.subject).toContain(shared);
    expect(notice.text).toContain(`r***@example.ru`);
    expect(notice.text).not.toContain(mallory.email);
    expect(notice.text).toContain('2026-11-20 10:02');
    malloryLinkId = UUID.exec(notice.text)?.[0] as string;
    expect(malloryLinkId).toBeDefined();
    expect(linkNotices(mallory.email)).toHaveLength(0);
  });

  it('lists the links: your own in full, the others masked, the newer ones revocable', async () => {
    expect(await linksSeenBy(alice)).toEqual({
      accountNumber: shared,
      links: [
        {
          linkId: expect.stringMatching(UUID),
          email: alice.email,
          linkedAt: '2026-11-20T10:00:00.000+03:00',
          yours: true,
          revocable: false,
        },
        {
          linkId: malloryLinkId,
          email: 'r***@example.ru',
          linkedAt: '2026-11-20T10:02:00.000+03:00',
          yours: false,
          revocable: true,
        },
      ],
    });
    const seenByMallory = await linksSeenBy(mallory);
    expect(seenByMallory.links.map((l: { revocable: boolean }) => l.revocable)).toEqual([
      false,
      false,
    ]);
  });

  it('does not let the newcomer revoke the earlier resident, nor anyone their own link', async () => {
    const [aliceLink] = (await linksSeenBy(alice)).links;
    const refused = await http()
      .delete(`/v1/cabinet/accounts/${shared}/links/${aliceLink.linkId}`)
      .set(mallory.auth)
      .expect(403);
    expect(refused.body).toMatchObject({ error: 'LINK_NOT_REVOCABLE' });
    await http()
      .delete(`/v1/cabinet/accounts/${shared}/links/${aliceLink.linkId}`)
      .set(alice.auth)
      .expect(403);
    await http().get(`/v1/cabinet/accounts/${shared}/meters`).set(alice.auth).expect(200);
  });

  it('revokes the link named in the e-mail: the newcomer loses the account for good', async () => {
    await http()
      .delete(`/v1/cabinet/accounts/${shared}/links/${malloryLinkId}`)
      .set(alice.auth)
      .expect(204);

    await http().get(`/v1/cabinet/accounts/${shared}/meters`).set(mallory.auth).expect(404);
    const accounts = await http().get('/v1/cabinet/accounts').set(mallory.auth).expect(200);
    expect(
      accounts.body.accounts.map((a: { accountNumber: string }) => a.accountNumber),
    ).not.toContain(shared);
    const again = await linkShared(mallory).expect(403);
    expect(again.body).toMatchObject({ error: 'LINK_REVOKED' });
    // Trying again is refused before anyone is mailed.
    expect(linkNotices(alice.email)).toHaveLength(1);
    await http()
      .delete(`/v1/cabinet/accounts/${shared}/links/${malloryLinkId}`)
      .set(alice.auth)
      .expect(404)
      .expect(({ body }) => expect(body.error).toBe('LINK_NOT_FOUND'));
    await http()
      .delete(`/v1/cabinet/accounts/${shared}/links/not-a-uuid`)
      .set(alice.auth)
      .expect(404);
  });

  it('answers 403 LINK_REVOKED to the revoked resident whatever document they show', async () => {
    const wrong = await http()
      .post('/v1/cabinet/accounts')
      .set(mallory.auth)
      .set('X-Forwarded-For', uniqueIp())
      .send({ ...sharedDocument, amountCharged: '1.00' })
      .expect(403);
    expect(wrong.body).toMatchObject({ error: 'LINK_REVOKED' });
    expect(linkNotices(alice.email)).toHaveLength(1);
  });

  it('answers 404 for the links of an account the resident does not hold', async () => {
    await http().get(`/v1/cabinet/accounts/${shared}/links`).set(mallory.auth).expect(404);
    await http()
      .delete(`/v1/cabinet/accounts/${shared}/links/${malloryLinkId}`)
      .set(mallory.auth)
      .expect(404);
  });

  it('mails the existing residents when a new resident registers with the account', async () => {
    clock.advance(STEP_MS);
    const bob = await signUp(app, mail, sharedDocument);
    expect(linkNotices(alice.email)).toHaveLength(2);
    expect(linkNotices(mallory.email)).toHaveLength(0);
    expect(linkNotices(bob.email)).toHaveLength(0);
    const links = (await linksSeenBy(bob)).links;
    expect(links).toHaveLength(2);
    expect(linkNotices(alice.email)[1].text).toContain(links[1].linkId);

    // Linking an account one holds already is not a new link: nobody is told.
    await linkShared(alice).expect(201);
    expect(linkNotices(bob.email)).toHaveLength(0);
  });

  it('does not register a revoked resident with the account again', async () => {
    clock.advance(STEP_MS);
    const created = await http()
      .post('/v1/cabinet/registrations')
      .send({ ...sharedDocument, email: mallory.email, phone: mallory.phone })
      .expect(202);
    const code = /(?<!\d)(\d{6})(?!\d)/.exec(mailTo(mallory.email).at(-1)!.text)![1];
    const refused = await http()
      .post(`/v1/cabinet/registrations/${created.body.registrationId}/confirm`)
      .send({ code })
      .expect(403);
    expect(refused.body).toMatchObject({ error: 'LINK_REVOKED' });
    expect(linkNotices(alice.email)).toHaveLength(2);
  });

  it('makes no link when the other residents cannot be told (mail down: 503)', async () => {
    const own = uniqueAccount();
    await seedCharges(db, [{ accountNumber: own, period: '2026-10', amountCharged: '100.00' }]);
    const carol = await signUp(app, mail, {
      accountNumber: own,
      period: '2026-10',
      amountCharged: '100.00',
    });
    const mailDown = await startCabinet(clock, `smtp://127.0.0.1:${await closedPort()}`, {
      CABINET_CHECK_FAILURES_PER_ACCOUNT: '1000',
    });
    try {
      const refused = await request(mailDown.getHttpServer())
        .post('/v1/cabinet/accounts')
        .set(carol.auth)
        .set('X-Forwarded-For', uniqueIp())
        .send(sharedDocument)
        .expect(503);
      expect(refused.body).toMatchObject({ error: 'MAIL_UNAVAILABLE' });
      expect(refused.headers['retry-after']).toBe('30');
    } finally {
      await mailDown.close();
    }
    await http().get(`/v1/cabinet/accounts/${shared}/meters`).set(carol.auth).expect(404);
    expect((await linksSeenBy(alice)).links).toHaveLength(2);
  });

  it('answers 201 to each of a resident’s simultaneous requests for one link', async () => {
    const resident = await signUp(app, mail, await chargedAccount());
    const answers: string[] = [];
    for (let round = 0; round < 6; round += 1) {
      const document = await chargedAccount();
      const linked = await Promise.all(
        Array.from({ length: 6 }, () =>
          http()
            .post('/v1/cabinet/accounts')
            .set(resident.auth)
            .set('X-Forwarded-For', uniqueIp())
            .send(document),
        ),
      );
      answers.push(...linked.map((a) => `${a.status} ${a.body.error ?? ''}`.trim()));
    }
    expect(answers.filter((a) => a !== '201')).toEqual([]);
  });

  it('mails the holders once for a link asked several times at once, naming it', async () => {
    const newcomer = await signUp(app, mail, await chargedAccount());
    for (let round = 0; round < 3; round += 1) {
      const document = await chargedAccount();
      const holder = await signUp(app, mail, document);
      await Promise.all(
        Array.from({ length: 4 }, () =>
          http()
            .post('/v1/cabinet/accounts')
            .set(newcomer.auth)
            .set('X-Forwarded-For', uniqueIp())
            .send(document),
        ),
      );
      const naming = linkNotices(holder.email).map((notice) => UUID.exec(notice.text)?.[0]);
      expect(naming).toEqual([await newLinkSeenBy(holder, document.accountNumber)]);
    }
  });

  it('links and mails once when one registration is confirmed several times at once', async () => {
    const document = await chargedAccount();
    const holder = await signUp(app, mail, document);
    const email = uniqueEmail();
    const created = await http()
      .post('/v1/cabinet/registrations')
      .set('X-Forwarded-For', uniqueIp())
      .send({ ...document, email, phone: uniquePhone() })
      .expect(202);
    const code = lastCode(mail, email);
    // A double click on "confirm": the same right code sent three times at once.
    const answers = await Promise.all(
      Array.from({ length: 3 }, () =>
        http()
          .post(`/v1/cabinet/registrations/${created.body.registrationId}/confirm`)
          .set('X-Forwarded-For', uniqueIp())
          .send({ code }),
      ),
    );
    // One signs in; the others find the code used (422) or the registration gone (404).
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    const made = await newLinkSeenBy(holder, document.accountNumber);
    const naming = linkNotices(holder.email).map((notice) => UUID.exec(notice.text)?.[0]);
    expect(naming).toEqual([made]);
  });

  it.each([
    ['revocation', 'linking', 403],
    ['revocation', 'registering', 403],
    ['link', 'linking', 201],
    ['link', 'registering', 200],
  ] as const)(
    'keeps out a resident whose link is revoked while they make it again (%s first, by %s)',
    async (first, via, linkedStatus) => {
      const document = await chargedAccount();
      const holder = await signUp(app, mail, document);
      clock.advance(STEP_MS);
      const newcomer = await signUp(app, mail, document);
      const linkId = await newLinkSeenBy(holder, document.accountNumber);
      const racers = {
        revocation: {
          send: () =>
            http()
              .delete(`/v1/cabinet/accounts/${document.accountNumber}/links/${linkId}`)
              .set(holder.auth)
              .then((answer) => answer),
          waitsIn: '%DELETE FROM resident_accounts%',
        },
        link: {
          send: await makingLinkAgain(via, newcomer, document),
          waitsIn: '%INSERT INTO resident_accounts%',
        },
      };
      const order =
        first === 'revocation'
          ? (['revocation', 'link'] as const)
          : (['link', 'revocation'] as const);
      // A test transaction holds the link row until both wait for it, in this order.
      const row = db.createQueryRunner();
      await row.connect();
      await row.startTransaction();
      await row.query(`SELECT 1 FROM resident_accounts WHERE link_id = $1 FOR UPDATE`, [linkId]);
      const answers: Partial<Record<(typeof order)[number], Promise<Response>>> = {};
      for (const racer of order) {
        answers[racer] = racers[racer].send();
        await untilWaiting(racers[racer].waitsIn);
      }
      await row.commitTransaction();
      await row.release();

      expect((await answers.revocation)?.status).toBe(204);
      expect((await answers.link)?.status).toBe(linkedStatus);
      await http()
        .get(`/v1/cabinet/accounts/${document.accountNumber}/meters`)
        .set(newcomer.auth)
        .expect(404);
      expect((await linksSeenBy(holder, document.accountNumber)).links).toHaveLength(1);
      expect(linkNotices(holder.email)).toHaveLength(1);
      const again = await linkAccount(newcomer, document).expect(403);
      expect(again.body).toMatchObject({ error: 'LINK_REVOKED' });
    },
  );

  it('answers a revocation by whether it removed the link, a revocation on record or not', async () => {
    const document = await chargedAccount();
    const holder = await signUp(app, mail, document);
    clock.advance(STEP_MS);
    const newcomer = await signUp(app, mail, document);
    const linkId = await newLinkSeenBy(holder, document.accountNumber);
    // A revocation of the newcomer on record beside their link.
    await db.query(
      `INSERT INTO resident_account_revocations (resident_id, account_number, revoked_at)
       SELECT resident_id, account_number, now() FROM resident_accounts WHERE link_id = $1`,
      [linkId],
    );
    const revoke = () =>
      http()
        .delete(`/v1/cabinet/accounts/${document.accountNumber}/links/${linkId}`)
        .set(holder.auth);

    await revoke().expect(204);
    await http()
      .get(`/v1/cabinet/accounts/${document.accountNumber}/meters`)
      .set(newcomer.auth)
      .expect(404);
    await revoke().expect(404);
  });
});
