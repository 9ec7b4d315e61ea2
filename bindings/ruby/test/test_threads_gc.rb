# frozen_string_literal: true

require_relative "test_helper"

# One client shared by many Ruby threads; calls release the GVL (blocking: true); handles
# survive GC.stress.
class TestThreadsGc < Minitest::Test
  N = Authy::Native
  THREADS = 16
  ROUNDS = 15

  def test_sixteen_threads_share_one_client_without_crossed_answers
    users = Array.new(THREADS) { fresh_user }
    users.each { |id| client.request_sms(authy_id: id, force: true) }
    codes = users.to_h { |id| [id, last_code(id)] }
    crossed = Queue.new
    threads = users.map do |id|
      Thread.new do
        ROUNDS.times do
          crossed << [:status, id] unless client.user_status(authy_id: id).user_id == id
          crossed << [:valid, id] unless client.valid_token?(authy_id: id, token: codes[id])
          crossed << [:wrong, id] if client.valid_token?(authy_id: id, token: wrong_token(codes[id]))
          begin
            client.user_status(authy_id: "9#{id}00000")
            crossed << [:unknown, id]
          rescue N::NotFound
            nil
          end
        end
      end
    end
    threads.each(&:join)
    assert_equal 0, crossed.size, "crossed answers: #{Array.new(crossed.size) { crossed.pop }.inspect}"
  end

  def test_threads_racing_close_see_either_an_answer_or_closed_error
    c = N::Client.new(api_key, base_url: base_url)
    outcomes = Queue.new
    threads = Array.new(THREADS) do
      Thread.new do
        20.times do
          outcomes << (c.app_details.ok? ? :ok : :bad)
        rescue N::ClosedError
          outcomes << :closed
        end
      end
    end
    sleep 0.05
    c.close
    threads.each(&:join)
    seen = Array.new(outcomes.size) { outcomes.pop }
    assert_equal THREADS * 20, seen.size
    assert_empty seen - %i[ok closed]
  end

  # blocking: true — another Ruby thread keeps running while a call waits on the network.
  def test_calls_release_the_gvl
    id = fresh_user
    arm_fault("latency", path_prefix: "/protected/json/users/#{id}/status", latency_ms: 800)
    ticks = 0
    running = true
    ticker = Thread.new do
      while running
        ticks += 1
        sleep 0.01
      end
    end
    assert_equal id, client.user_status(authy_id: id).user_id
    running = false
    ticker.join
    # Without blocking: true the ticker could not run at all during the 800 ms call.
    assert_operator ticks, :>=, 3
  end

  def test_gc_stress_around_handle_churn
    id = fresh_user
    client.request_sms(authy_id: id, force: true)
    code = last_code(id)
    nonce = Time.now.to_i.to_s
    body = JSON.generate(status: "approved", uuid: "u-1", authy_id: id.to_i)
    signature = N.sign_callback(api_key: api_key, method: "POST", url: "https://example.com/cb", nonce: nonce, body: body)
    results = []
    # 30 rounds with a (minor) GC at every allocation — the handles are young objects, so
    # those are the ones collected — then 1 round with full GC.stress (much slower).
    [[0x01, 30], [true, 1]].each do |mode, rounds|
      GC.stress = mode
      begin
        rounds.times { |i| churn(i, id, code, nonce, body, signature, results) }
      ensure
        GC.stress = false
      end
    end
    GC.start
    assert_equal [id, false, 36, "approved", "60026"] * 31, results
  end

  private

  def churn(i, id, code, nonce, body, signature, results)
    c = N::Client.new(api_key, base_url: base_url, timeout: 10, user_agent_suffix: "gc/#{i}")
    results << c.user_status(authy_id: id).user_id
    results << c.valid_token?(authy_id: id, token: wrong_token(code))
    results << c.create_approval_request(authy_id: id, message: "gc #{i}", details: { "n" => i.to_s },
                                         logos: [{ res: "default", url: "https://example.com/l.png" }]).approval_uuid.size
    cb = N.verify_callback(api_key: api_key, method: "POST", url: "https://example.com/cb", nonce: nonce,
                           signature: signature, body: body, max_age: 0)
    results << cb.status
    begin
      c.user_status(authy_id: "999999999")
    rescue N::NotFound => e
      results << e.authy_code
    end
    c.close if i.even? # the odd ones are left to the garbage collector
  end
end
