// Rank changes that stay put for one question. The server computes each leaderboard's "change" against the
// previous leaderboard it pushed, and it pushes one right after a reveal and again when the host shows the
// leaderboard (and when a screen connects), so the second push would show every arrow as 0. What matters to
// people is the move this question caused: the changes of the first leaderboard after a reveal are kept and
// laid over later boards until the next reveal.
export function createRankChanges() {
  let armed = false;
  let kept = null;

  // A row's change, or null for a newcomer (no arrow): both are kept.
  function keyed(list, key) {
    const map = {};
    (list || []).forEach((row) => {
      map[String(row[key])] = row.change === undefined ? null : row.change;
    });
    return map;
  }

  function overlay(list, map, key) {
    return (list || []).map((row) => {
      const id = String(row[key]);
      if (!Object.prototype.hasOwnProperty.call(map, id)) return row;
      return Object.assign({}, row, { change: map[id] });
    });
  }

  return {
    // A reveal just happened: the next board carries its moves.
    revealed() {
      armed = true;
      kept = null;
    },
    apply(board) {
      if (armed) {
        armed = false;
        kept = {
          seats: keyed(board.top, 'seat'),
          branches: keyed(board.branches, 'id'),
          you: board.you ? (board.you.change === undefined ? null : board.you.change) : undefined,
        };
        return board;
      }
      if (!kept) return board;
      const result = Object.assign({}, board, {
        top: overlay(board.top, kept.seats, 'seat'),
        branches: overlay(board.branches, kept.branches, 'id'),
      });
      if (board.you && kept.you !== undefined) {
        result.you = Object.assign({}, board.you, { change: kept.you });
      }
      return result;
    },
  };
}
