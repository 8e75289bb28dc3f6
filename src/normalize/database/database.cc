#include "normalize/database/database.h"

namespace kiroku::normalize {

bool NormalizeDatabase(const Input& in, const Config& config, Event* out) {
  if (in.message.empty()) return false;
  return NormalizeSambaAudit(in, config, out) || NormalizeMariadbAudit(in, config, out) ||
         NormalizeMysqlGeneral(in, config, out) || NormalizePostgres(in, config, out) ||
         NormalizeMysqlError(in, config, out);
}

}  // namespace kiroku::normalize
