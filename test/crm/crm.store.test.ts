import { MemoryCrmStore, RedisCrmStore } from '../../src/crm/index.js';
import { describeWithRedis } from '../helpers/redis.js';
import { describeCrmStoreContract } from './crm.store.contract.js';

describeCrmStoreContract('MemoryCrmStore', () => new MemoryCrmStore());

describeWithRedis('RedisCrmStore', (ctx) => {
  let stores = 0;
  // A sub-prefix per store keeps tests apart; the helper deletes `<prefix>:*` afterwards.
  describeCrmStoreContract(
    'RedisCrmStore',
    () => new RedisCrmStore(ctx().redis, { prefix: `${ctx().prefix}:${++stores}` }),
  );
});
