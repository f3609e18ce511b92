#include "weiquan/sync/transport.h"

namespace wq::sync {

std::string_view channel_name(Channel channel) {
  switch (channel) {
    case Channel::sync:
      return "sync";
    case Channel::rpc:
      return "rpc";
  }
  return "?";
}

std::string_view link_state_name(LinkState state) {
  switch (state) {
    case LinkState::up:
      return "up";
    case LinkState::reconnecting:
      return "reconnecting";
    case LinkState::down:
      return "down";
  }
  return "?";
}

}  // namespace wq::sync
