# frozen_string_literal: true

require_relative "test_helper"

# Pre-forking servers (Puma, Unicorn) build clients at boot and fork afterwards. A client
# created before fork() must work in parent and child with fresh connections: answers must
# never cross between the processes (a wrong token must never pass).
class TestFork < Minitest::Test
  N = Authy::Native
  ROUNDS = 1000

  def test_client_created_before_fork_never_crosses_answers
    skip "fork is not available here" unless Process.respond_to?(:fork)

    shared = N::Client.new(api_key, base_url: base_url, timeout: 10)
    id = fresh_user
    shared.request_sms(authy_id: id, force: true)
    valid = last_code(id)
    wrong = wrong_token(valid)
    # Warm the pool: the parent's idle keep-alive connections exist before the fork.
    4.times { assert shared.valid_token?(authy_id: id, token: valid) }

    reader, writer = IO.pipe
    child = fork do
      reader.close
      stats = Hash.new(0)
      ROUNDS.times do
        shared.verify_token(authy_id: id, token: wrong)
        stats[:crossed] += 1 # an OK answer to a wrong token: someone else's answer
      rescue N::TokenInvalid
        stats[:refused] += 1
      rescue N::Error => e
        stats[e.class.name] += 1
      end
      writer.write(JSON.generate(stats))
      writer.close
      exit!([stats[:crossed], 250].min) # exit! skips minitest's at_exit in the child
    end
    writer.close

    parent = Hash.new(0)
    ROUNDS.times do
      shared.verify_token(authy_id: id, token: valid)
      parent[:ok] += 1
    rescue N::Error => e
      parent[e.class.name] += 1
    end

    _, status = Process.wait2(child)
    stats = JSON.parse(reader.read.to_s.then { |s| s.empty? ? "{}" : s })
    reader.close
    assert_equal 0, status.exitstatus, "child: wrong tokens accepted (crossed answers): #{stats.inspect}"
    assert_equal ROUNDS, stats["refused"].to_i, "child: every wrong token refused: #{stats.inspect}"
    assert_equal ROUNDS, parent[:ok], "parent: every valid token accepted: #{parent.inspect}"
    # And both keep working afterwards.
    assert shared.valid_token?(authy_id: id, token: valid)
    assert_equal id, shared.user_status(authy_id: id).user_id
  ensure
    shared&.close
  end

  def test_user_status_in_child_and_parent_returns_own_user
    skip "fork is not available here" unless Process.respond_to?(:fork)

    shared = N::Client.new(api_key, base_url: base_url, timeout: 10)
    parent_id = fresh_user
    child_id = fresh_user
    2.times { shared.user_status(authy_id: parent_id) }
    child = fork do
      wrong = 0
      ROUNDS.times do
        wrong += 1 unless shared.user_status(authy_id: child_id).user_id == child_id
      rescue N::Error
        wrong += 1
      end
      exit!([wrong, 250].min)
    end
    mine = Array.new(ROUNDS) do
      shared.user_status(authy_id: parent_id).user_id
    rescue N::Error => e
      e.class.name
    end
    _, status = Process.wait2(child)
    assert_equal 0, status.exitstatus, "child: answers about another user, or failures"
    assert_equal [parent_id] * ROUNDS, mine
  ensure
    shared&.close
  end
end
